package io.ledgerline.command.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;

/**
 * The meters of axon-micrometer's {@code MessageTimerMonitor}, {@code MessageCountingMonitor} and,
 * for event processors, {@code EventProcessorLatencyMonitor}, under the same names and tags, with
 * each payload type's meters looked up once.
 *
 * <p>Why: Axon's monitors build and register their meters again for every message (four timers,
 * five counters and a gauge: each a registry lookup keyed by name and tags). Every stored event
 * passes the command bus, the event store and seven processors, most of which ignore it, so those
 * lookups were about 3 % of the command side's CPU under load.
 */
final class PayloadTypeMonitor implements MessageMonitor<Message<?>> {

  private final String prefix;
  private final MeterRegistry registry;
  private final Function<Class<?>, Tags> tags;
  private final boolean latency;
  private final Clock clock = Clock.SYSTEM;
  // computeIfAbsent builds a payload type's meters once: the latency gauge reads the one counter
  // that is updated (a ClassValue may compute a value twice, and keep the one the gauge does not
  // read).
  private final Map<Class<?>, Meters> meters = new ConcurrentHashMap<>();

  /**
   * @param prefix the meters' names start with it and a dot, as Axon's
   * @param tags the tags of a payload type's meters
   * @param latency whether to gauge {@code <prefix>.latency}, the age of the last event ingested
   */
  PayloadTypeMonitor(
      String prefix, MeterRegistry registry, Function<Class<?>, Tags> tags, boolean latency) {
    this.prefix = prefix;
    this.registry = registry;
    this.tags = tags;
    this.latency = latency;
  }

  @Override
  public MonitorCallback onMessageIngested(Message<?> message) {
    Meters of =
        meters.computeIfAbsent(message.getPayloadType(), type -> new Meters(tags.apply(type)));
    long start = clock.monotonicTime();
    if (of.latency != null && message instanceof EventMessage<?> event) {
      of.latency.set(clock.wallTime() - event.getTimestamp().toEpochMilli());
    }
    of.ingested.increment();
    return new MonitorCallback() {
      @Override
      public void reportSuccess() {
        of.record(start, of.successTimer);
        of.processed.increment();
        of.success.increment();
      }

      @Override
      public void reportFailure(Throwable cause) {
        of.record(start, of.failureTimer);
        of.processed.increment();
        of.failure.increment();
      }

      @Override
      public void reportIgnored() {
        of.record(start, of.ignoredTimer);
        of.ignored.increment();
      }
    };
  }

  /** One payload type's meters. */
  private final class Meters {
    final Timer allTimer;
    final Timer successTimer;
    final Timer failureTimer;
    final Timer ignoredTimer;
    final Counter ingested;
    final Counter success;
    final Counter failure;
    final Counter processed;
    final Counter ignored;
    final AtomicLong latency;

    Meters(Tags tags) {
      allTimer = timer("allTimer", tags);
      successTimer = timer("successTimer", tags);
      failureTimer = timer("failureTimer", tags);
      ignoredTimer = timer("ignoredTimer", tags);
      ingested = registry.counter(prefix + ".ingestedCounter", tags);
      success = registry.counter(prefix + ".successCounter", tags);
      failure = registry.counter(prefix + ".failureCounter", tags);
      processed = registry.counter(prefix + ".processedCounter", tags);
      ignored = registry.counter(prefix + ".ignoredCounter", tags);
      if (PayloadTypeMonitor.this.latency) {
        AtomicLong age = new AtomicLong();
        Gauge.builder(prefix + ".latency", age::get).tags(tags).register(registry);
        latency = age;
      } else {
        latency = null;
      }
    }

    private Timer timer(String name, Tags tags) {
      // Axon's settings, so its dashboards read the same series.
      return Timer.builder(prefix + "." + name)
          .distributionStatisticExpiry(Duration.ofMinutes(10))
          .publishPercentiles(0.5, 0.75, 0.95, 0.98, 0.99, 0.999)
          .tags(tags)
          .register(registry);
    }

    void record(long start, Timer outcome) {
      long elapsed = clock.monotonicTime() - start;
      allTimer.record(elapsed, TimeUnit.NANOSECONDS);
      outcome.record(elapsed, TimeUnit.NANOSECONDS);
    }
  }
}
