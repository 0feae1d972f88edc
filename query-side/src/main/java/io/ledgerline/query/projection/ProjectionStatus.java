package io.ledgerline.query.projection;

import io.ledgerline.events.EventWireFormat;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * How far each projection is behind the event topic: its committed position per partition, the lag
 * in events, and the lag in seconds (the age of the oldest event not yet projected). Also published
 * as gauges, per projection and partition (see {@code io.ledgerline.query.metrics}).
 */
@Component
public class ProjectionStatus {

  /** One partition of one projection; {@code lagSeconds} is its oldest unprojected event's age. */
  public record PartitionStatus(
      int partition, long position, long end, long lag, double lagSeconds) {}

  /** One projection. */
  @Schema(name = "ProjectionStatus")
  public record Status(
      String projection, List<PartitionStatus> partitions, long lagEvents, double lagSeconds) {}

  private final KafkaAdmin kafkaAdmin;
  private final KafkaOffsets offsets;
  private final List<Projector> projections;

  ProjectionStatus(KafkaAdmin kafkaAdmin, KafkaOffsets offsets, List<Projector> projections) {
    this.kafkaAdmin = kafkaAdmin;
    this.offsets = offsets;
    this.projections = projections;
  }

  /** The consumer group of a projection. */
  public static String groupOf(String projection) {
    return "ledgerline-projection-" + projection;
  }

  public List<Status> all() throws Exception {
    List<Status> statuses = new ArrayList<>();
    List<TopicPartition> topic = offsets.partitions(EventWireFormat.EVENTS_TOPIC);
    Map<TopicPartition, Long> ends = offsets.ends(topic);
    for (Projector projection : projections) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          offsets.committed(groupOf(projection.name()));
      Map<TopicPartition, Long> behind = new HashMap<>();
      for (var end : ends.entrySet()) {
        OffsetAndMetadata position = committed.get(end.getKey());
        long at = position == null ? 0 : position.offset();
        if (end.getValue() > at) {
          behind.put(end.getKey(), at);
        }
      }
      Map<TopicPartition, Double> ages = unprojectedAges(behind);
      List<PartitionStatus> partitions = new ArrayList<>();
      long lagEvents = 0;
      double lagSeconds = 0;
      for (var end : ends.entrySet()) {
        OffsetAndMetadata position = committed.get(end.getKey());
        long at = position == null ? 0 : position.offset();
        long lag = Math.max(0, end.getValue() - at);
        double age = ages.getOrDefault(end.getKey(), 0.0);
        partitions.add(new PartitionStatus(end.getKey().partition(), at, end.getValue(), lag, age));
        lagEvents += lag;
        lagSeconds = Math.max(lagSeconds, age);
      }
      partitions.sort(java.util.Comparator.comparingInt(PartitionStatus::partition));
      statuses.add(new Status(projection.name(), partitions, lagEvents, lagSeconds));
    }
    return statuses;
  }

  /** Reads the first unprojected event of each lagging partition for its age in seconds. */
  private Map<TopicPartition, Double> unprojectedAges(Map<TopicPartition, Long> positions) {
    Map<TopicPartition, Double> ages = new HashMap<>();
    if (positions.isEmpty()) {
      return ages;
    }
    Properties properties = new Properties();
    properties.putAll(kafkaAdmin.getConfigurationProperties());
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, positions.size() * 2);
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
      long now = System.currentTimeMillis();
      seen.forEach(
          (partition, timestamp) -> ages.put(partition, Math.max(0, (now - timestamp) / 1000.0)));
    }
    return ages;
  }
}
