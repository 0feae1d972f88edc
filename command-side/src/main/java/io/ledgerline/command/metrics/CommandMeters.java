package io.ledgerline.command.metrics;

import io.ledgerline.events.EventWireFormat;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingModificationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * The command side's own meters (Prometheus shows each as {@code ledgerline_…}): commands by type
 * and outcome with their latency, events appended by type, idempotent replays and the conflicts
 * answered. The gauges read from the event store are {@link EventStoreGauges}'.
 */
@Component
public class CommandMeters {

  static final String COMMANDS = "ledgerline.commands";
  static final String COMMAND_LATENCY = "ledgerline.command.latency";
  static final String EVENTS_APPENDED = "ledgerline.events.appended";
  static final String IDEMPOTENT_REPLAYS = "ledgerline.idempotency.replays";
  static final String CONFLICTS = "ledgerline.command.conflicts";

  private final MeterRegistry registry;
  private final Meter.MeterProvider<Counter> commands;
  private final Meter.MeterProvider<Timer> latency;
  private final Meter.MeterProvider<Counter> appended;
  private final Meter.MeterProvider<Counter> conflicts;
  private final Counter replays;

  CommandMeters(MeterRegistry registry) {
    this.registry = registry;
    this.commands =
        Counter.builder(COMMANDS)
            .description("Commands handled, by payload type and outcome")
            .withRegistry(registry);
    this.latency =
        Timer.builder(COMMAND_LATENCY)
            .description("From handling a command to its commit (or failure), events included")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .withRegistry(registry);
    this.appended =
        Counter.builder(EVENTS_APPENDED)
            .description("Events committed to the event store, by type")
            .withRegistry(registry);
    this.conflicts =
        Counter.builder(CONFLICTS)
            .description("Answers 409 and 412, by status and problem kind")
            .withRegistry(registry);
    this.replays =
        Counter.builder(IDEMPOTENT_REPLAYS)
            .description("Requests answered with the stored outcome of an earlier one (same key)")
            .register(registry);
    // Every event type reads 0 from the start, so a rate over it has a first sample.
    for (Class<?> type : EventWireFormat.eventTypes()) {
      appended.withTags("type", EventWireFormat.typeName(type));
    }
  }

  /** A request with an {@code Idempotency-Key} got the first outcome of an earlier one. */
  public void idempotentReplay() {
    replays.increment();
  }

  Timer.Sample startCommand() {
    return Timer.start(registry);
  }

  void commandFinished(String type, Timer.Sample started, Throwable failure) {
    String outcome = outcome(failure);
    commands.withTags("type", type, "outcome", outcome).increment();
    started.stop(latency.withTags("type", type, "outcome", outcome));
  }

  void eventsAppended(String type, int count) {
    appended.withTags("type", type).increment(count);
  }

  void conflict(int status, String kind) {
    conflicts.withTags("status", Integer.toString(status), "kind", kind).increment();
  }

  /**
   * How a command ended, in the words of the API's problem kinds: {@code success}, {@code rejected}
   * (a rule of ours refused it), {@code not_found}, {@code version_conflict} ({@code If-Match}
   * named an older version), {@code concurrent_modification} (lost a race to a concurrent writer,
   * retried by the API) or {@code error} (anything else: it could not run).
   */
  static String outcome(Throwable failure) {
    if (failure == null) {
      return "success";
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConflictingModificationException) {
        return "version_conflict";
      }
      if (cause instanceof ConcurrencyException || cause instanceof DuplicateKeyException) {
        return "concurrent_modification";
      }
      if (cause instanceof AggregateNotFoundException) {
        return "not_found";
      }
    }
    // The aggregates refuse with exceptions of ours; anything else failed to run the command.
    return failure.getClass().getName().startsWith("io.ledgerline.") ? "rejected" : "error";
  }
}
