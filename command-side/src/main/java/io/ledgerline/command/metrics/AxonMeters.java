package io.ledgerline.command.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.Configurer;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.micrometer.MetricsConfigurerModule;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.springframework.stereotype.Component;

/**
 * Axon's own meters ({@code commandBus_*}, {@code eventStore_*}, {@code eventProcessor_*}, tagged
 * by payload type and processor as axon-micrometer's dimensional set), without its capacity
 * monitors. This bean takes the place of the module axon-micrometer's auto-configuration would
 * register.
 *
 * <p>Why: Axon's {@code CapacityMonitor} keeps one entry per handled message for a sliding minute
 * (a skip list of about 100 bytes an entry). A processor working off a backlog handles thousands of
 * events a second, so the monitors held 461,252 entries (≈ 45 MB, a seventh of the heap) while the
 * command side worked off a backlog of 200,000 events, and more the faster the processors go. The
 * timers and counters kept here have a fixed size per tag combination, and are looked up once per
 * payload type ({@link PayloadTypeMonitor}).
 */
@Component
class AxonMeters extends MetricsConfigurerModule {

  // axon-micrometer's names and tags (GlobalMetricRegistry), so dashboards built for it still work.
  static final String EVENT_PROCESSOR = "eventProcessor";
  static final String PAYLOAD_TYPE = "payloadType";
  static final String PROCESSOR_NAME = "processorName";

  private final MeterRegistry registry;

  AxonMeters(GlobalMetricRegistry axonRegistry, MeterRegistry registry) {
    super(axonRegistry, true);
    this.registry = registry;
  }

  @Override
  public void configureModule(Configurer configurer) {
    configurer.configureMessageMonitor(configuration -> this::monitor);
  }

  /** The monitor Axon installs on a component of the given type and name. */
  MessageMonitor<Message<?>> monitor(Class<?> componentType, String componentName) {
    if (EventProcessor.class.isAssignableFrom(componentType)) {
      return new PayloadTypeMonitor(
          EVENT_PROCESSOR,
          registry,
          payloadType ->
              Tags.of(PAYLOAD_TYPE, payloadType.getSimpleName(), PROCESSOR_NAME, componentName),
          true);
    }
    if (CommandBus.class.isAssignableFrom(componentType)
        || EventBus.class.isAssignableFrom(componentType)) {
      return new PayloadTypeMonitor(
          componentName,
          registry,
          payloadType -> Tags.of(PAYLOAD_TYPE, payloadType.getSimpleName()),
          false);
    }
    return NoOpMessageMonitor.instance();
  }
}
