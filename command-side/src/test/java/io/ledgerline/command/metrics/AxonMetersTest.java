package io.ledgerline.command.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.micrometer.MessageCountingMonitor;
import org.axonframework.micrometer.MessageTimerMonitor;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.junit.jupiter.api.Test;

class AxonMetersTest {

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final AxonMeters testSubject =
      new AxonMeters(new GlobalMetricRegistry(registry), registry);

  /** Stands for an event's payload; its simple name is the payloadType tag. */
  private record FundsDeposited(long amount) {}

  @Test
  void anEventProcessorIsTimedCountedAndItsLatencyGaugedByPayloadTypeAndProcessor() {
    MessageMonitor<Message<?>> monitor =
        testSubject.monitor(TrackingEventProcessor.class, "kafka-publisher");

    for (int i = 0; i < 1_000; i++) {
      monitor
          .onMessageIngested(GenericEventMessage.asEventMessage(new FundsDeposited(i)))
          .reportSuccess();
    }

    assertThat(registry.getMeters())
        .isNotEmpty()
        .allSatisfy(
            meter -> {
              assertThat(meter.getId().getName()).startsWith(AxonMeters.EVENT_PROCESSOR + ".");
              assertThat(meter.getId().getTag(AxonMeters.PROCESSOR_NAME))
                  .isEqualTo("kafka-publisher");
              assertThat(meter.getId().getTag(AxonMeters.PAYLOAD_TYPE)).isEqualTo("FundsDeposited");
            });
    assertThat(names())
        .anyMatch(name -> name.endsWith(".latency"))
        .anyMatch(name -> name.endsWith("successCounter"))
        .anyMatch(name -> name.endsWith("successTimer"));
    assertThat(registry.find("eventProcessor.successCounter").counter().count()).isEqualTo(1_000);
  }

  @Test
  void noComponentKeepsAnEntryPerMessageForACapacityFigure() {
    testSubject
        .monitor(TrackingEventProcessor.class, "transfer-process")
        .onMessageIngested(GenericEventMessage.asEventMessage(new FundsDeposited(1)))
        .reportSuccess();
    testSubject
        .monitor(SimpleCommandBus.class, "commandBus")
        .onMessageIngested(GenericCommandMessage.asCommandMessage(new FundsDeposited(1)))
        .reportSuccess();
    testSubject
        .monitor(EmbeddedEventStore.class, "eventStore")
        .onMessageIngested(GenericEventMessage.asEventMessage(new FundsDeposited(1)))
        .reportSuccess();

    assertThat(names())
        .anyMatch(name -> name.startsWith("commandBus."))
        .anyMatch(name -> name.startsWith("eventStore."))
        .noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).contains("capacity"));
  }

  @Test
  void componentsWithoutMetersHereGetNoMonitor() {
    assertThat(testSubject.monitor(SimpleQueryBus.class, "queryBus"))
        .isSameAs(NoOpMessageMonitor.instance());
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"}) // Axon's latency monitor takes event messages only.
  void keepsTheMetersAndCountsOfAxonsOwnMonitors() {
    MeterRegistry axons = new SimpleMeterRegistry();
    Function<Message<?>, Iterable<Tag>> tags =
        message ->
            Tags.of(
                AxonMeters.PAYLOAD_TYPE,
                message.getPayloadType().getSimpleName(),
                AxonMeters.PROCESSOR_NAME,
                "account-directory");
    MessageMonitor<Message<?>> axon =
        new MultiMessageMonitor(
            List.of(
                MessageTimerMonitor.buildMonitor(AxonMeters.EVENT_PROCESSOR, axons, tags),
                EventProcessorLatencyMonitor.buildMonitor(AxonMeters.EVENT_PROCESSOR, axons, tags),
                MessageCountingMonitor.buildMonitor(AxonMeters.EVENT_PROCESSOR, axons, tags)));
    MessageMonitor<Message<?>> ours =
        testSubject.monitor(TrackingEventProcessor.class, "account-directory");

    for (MessageMonitor<Message<?>> monitor : List.of(axon, ours)) {
      for (int i = 0; i < 10; i++) {
        var callback =
            monitor.onMessageIngested(
                GenericEventMessage.asEventMessage(
                    i % 2 == 0 ? new FundsDeposited(i) : Integer.valueOf(i)));
        switch (i % 3) {
          case 0 -> callback.reportSuccess();
          case 1 -> callback.reportFailure(new IllegalStateException("failed"));
          default -> callback.reportIgnored();
        }
      }
    }

    assertThat(figures(registry)).isNotEmpty().isEqualTo(figures(axons));
  }

  /** Each meter's name, type and tags, with its count (timers, counters) or 0 (gauges). */
  private static Map<String, Double> figures(MeterRegistry meters) {
    Map<String, Double> figures = new TreeMap<>();
    for (Meter meter : meters.getMeters()) {
      double count =
          meter instanceof Timer timer
              ? timer.count()
              : meter instanceof Counter counter ? counter.count() : 0;
      figures.put(
          meter.getId().getType() + " " + meter.getId().getName() + meter.getId().getTags(), count);
    }
    return figures;
  }

  private java.util.List<String> names() {
    return registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName).toList();
  }
}
