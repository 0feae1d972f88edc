package io.ledgerline.command.metrics;

import io.ledgerline.eventstore.EventStoreReader;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gauges read from the event store every {@code ledgerline.metrics.refresh-interval} (not on each
 * scrape, so a slow database never stalls one), with a few cheap indexed queries:
 *
 * <ul>
 *   <li>{@code ledgerline.processor.lag.events} per tracking processor ({@code kafka-publisher},
 *       {@code transfer-process}): the head's global index less the slowest segment's token;
 *   <li>{@code ledgerline.audit.checkpoint.age.seconds}: since the last signed checkpoint (NaN
 *       before the first), and {@code ledgerline.audit.unsealed.events}: positions after it. A
 *       checkpoint is only written when there are new events, so the age alone grows on an idle
 *       store; both growing is a stuck sealer.
 * </ul>
 *
 * Every instance reports the same values: they are the store's, not the instance's.
 */
@Component
class EventStoreGauges {

  static final String PROCESSOR_LAG = "ledgerline.processor.lag.events";
  static final String CHECKPOINT_AGE = "ledgerline.audit.checkpoint.age.seconds";
  static final String UNSEALED = "ledgerline.audit.unsealed.events";

  private static final Logger log = LoggerFactory.getLogger(EventStoreGauges.class);

  private final JdbcTemplate jdbc;
  private final EventStoreReader store;
  private final Serializer serializer;
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> processorLag = new ConcurrentHashMap<>();
  private volatile Instant lastCheckpoint;
  private volatile double unsealed = Double.NaN;

  EventStoreGauges(
      JdbcTemplate jdbc, EventStoreReader store, Serializer serializer, MeterRegistry registry) {
    this.jdbc = jdbc;
    this.store = store;
    this.serializer = serializer;
    this.registry = registry;
    Gauge.builder(CHECKPOINT_AGE, this, EventStoreGauges::checkpointAgeSeconds)
        .description("Seconds since the last signed audit checkpoint was written")
        .register(registry);
    Gauge.builder(UNSEALED, this, gauges -> gauges.unsealed)
        .description("Event store positions after the last signed audit checkpoint")
        .register(registry);
  }

  @Scheduled(fixedDelayString = "${ledgerline.metrics.refresh-interval:PT10S}")
  void refresh() {
    try {
      // Tokens before the head: a token can only be ahead of a head read earlier.
      Map<String, List<OptionalLong>> segments = new TreeMap<>();
      jdbc.query(
          "select processor_name, token, token_type from token_entry",
          row -> {
            segments
                .computeIfAbsent(row.getString(1), name -> new ArrayList<>())
                .add(position(row.getBytes(2), row.getString(3)));
          });
      long head = store.lastPosition();
      segments.forEach(
          (processor, positions) -> lagOf(processor).set(ProcessorLag.of(head, positions)));
      store
          .lastCheckpoint()
          .ifPresent(
              checkpoint -> {
                lastCheckpoint = checkpoint.createdAt();
                unsealed = Math.max(0, head - checkpoint.upToGlobalIndex());
              });
    } catch (DataAccessException | SerializationException e) {
      // The gauges keep their last values while the database is out of reach.
      log.debug("Event store gauges not refreshed: {}", e.getMessage());
    }
  }

  private AtomicLong lagOf(String processor) {
    return processorLag.computeIfAbsent(
        processor,
        name -> {
          AtomicLong lag = new AtomicLong();
          Gauge.builder(PROCESSOR_LAG, lag, AtomicLong::get)
              .description("Event store positions a tracking processor has still to handle")
              .tag("processor", name)
              .register(registry);
          return lag;
        });
  }

  /** A segment's token as Axon's token store reads it; empty for none (nothing handled yet). */
  private OptionalLong position(byte[] token, String tokenType) {
    if (token == null || tokenType == null) {
      return OptionalLong.empty();
    }
    SerializedType type = new SimpleSerializedType(tokenType, null);
    TrackingToken tracking =
        serializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, type));
    return tracking == null ? OptionalLong.empty() : tracking.position();
  }

  private double checkpointAgeSeconds() {
    Instant last = lastCheckpoint;
    return last == null ? Double.NaN : Duration.between(last, Instant.now()).toMillis() / 1000.0;
  }
}
