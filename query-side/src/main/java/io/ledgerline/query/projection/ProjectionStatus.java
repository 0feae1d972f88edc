package io.ledgerline.query.projection;

import io.ledgerline.events.EventWireFormat;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * How far each projection is behind the event topic: its committed position per partition, the lag
 * in events, and the lag in seconds (the age of the oldest event not yet projected). Also published
 * as the gauges {@code ledgerline.projection.lag.events} and {@code
 * ledgerline.projection.lag.seconds}.
 */
@Component
public class ProjectionStatus {

  /** One partition of one projection. */
  public record PartitionStatus(int partition, long position, long end, long lag) {}

  /** One projection. */
  public record Status(
      String projection, List<PartitionStatus> partitions, long lagEvents, double lagSeconds) {}

  private static final int TIMEOUT_SECONDS = 5;
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ProjectionStatus.class);

  private final KafkaAdmin kafkaAdmin;
  private final List<Projector> projections;
  private final Map<String, double[]> lastLag = new ConcurrentHashMap<>();

  ProjectionStatus(KafkaAdmin kafkaAdmin, List<Projector> projections, MeterRegistry meters) {
    this.kafkaAdmin = kafkaAdmin;
    this.projections = projections;
    for (Projector projection : projections) {
      double[] lag = new double[2];
      lastLag.put(projection.name(), lag);
      Gauge.builder("ledgerline.projection.lag.events", lag, l -> l[0])
          .tag("projection", projection.name())
          .register(meters);
      Gauge.builder("ledgerline.projection.lag.seconds", lag, l -> l[1])
          .tag("projection", projection.name())
          .register(meters);
    }
  }

  /** The consumer group of a projection. */
  public static String groupOf(String projection) {
    return "ledgerline-projection-" + projection;
  }

  public List<Status> all() throws Exception {
    List<Status> statuses = new ArrayList<>();
    try (AdminClient admin = AdminClient.create(kafkaAdmin.getConfigurationProperties())) {
      var topic =
          admin
              .describeTopics(List.of(EventWireFormat.EVENTS_TOPIC))
              .allTopicNames()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .get(EventWireFormat.EVENTS_TOPIC);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      topic
          .partitions()
          .forEach(
              p ->
                  latest.put(
                      new TopicPartition(EventWireFormat.EVENTS_TOPIC, p.partition()),
                      OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      for (Projector projection : projections) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin
                .listConsumerGroupOffsets(groupOf(projection.name()))
                .partitionsToOffsetAndMetadata()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<PartitionStatus> partitions = new ArrayList<>();
        Map<TopicPartition, Long> behind = new HashMap<>();
        long lagEvents = 0;
        for (var end : ends.entrySet()) {
          OffsetAndMetadata position = committed.get(end.getKey());
          long at = position == null ? 0 : position.offset();
          long lag = Math.max(0, end.getValue().offset() - at);
          partitions.add(
              new PartitionStatus(end.getKey().partition(), at, end.getValue().offset(), lag));
          lagEvents += lag;
          if (lag > 0) {
            behind.put(end.getKey(), at);
          }
        }
        partitions.sort(java.util.Comparator.comparingInt(PartitionStatus::partition));
        double lagSeconds = oldestUnprojectedAge(behind);
        lastLag.get(projection.name())[0] = lagEvents;
        lastLag.get(projection.name())[1] = lagSeconds;
        statuses.add(new Status(projection.name(), partitions, lagEvents, lagSeconds));
      }
    }
    return statuses;
  }

  /** Reads the first unprojected event of each lagging partition for its timestamp. */
  private double oldestUnprojectedAge(Map<TopicPartition, Long> positions) {
    if (positions.isEmpty()) {
      return 0;
    }
    Properties properties = new Properties();
    properties.putAll(kafkaAdmin.getConfigurationProperties());
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, positions.size() * 2);
    long oldest = Long.MAX_VALUE;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
      consumer.assign(positions.keySet());
      positions.forEach(consumer::seek);
      Map<TopicPartition, Long> seen = new HashMap<>();
      Instant deadline = Instant.now().plusSeconds(2);
      while (seen.size() < positions.size() && Instant.now().isBefore(deadline)) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          if (seen.putIfAbsent(partition, record.timestamp()) == null) {
            consumer.pause(List.of(partition));
          }
        }
      }
      for (long timestamp : seen.values()) {
        oldest = Math.min(oldest, timestamp);
      }
    }
    return oldest == Long.MAX_VALUE
        ? 0
        : Math.max(0, (System.currentTimeMillis() - oldest) / 1000.0);
  }

  @Scheduled(fixedDelayString = "${ledgerline.projection.status-interval:PT15S}")
  void refreshGauges() {
    try {
      all();
    } catch (Exception e) {
      // The gauges keep their last values while Kafka is unreachable.
      log.debug("Projection status not refreshed: {}", e.getMessage());
    }
  }
}
