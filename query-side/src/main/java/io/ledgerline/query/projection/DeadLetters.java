package io.ledgerline.query.projection;

import io.swagger.v3.oas.annotations.media.Schema;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;

/**
 * Events a projection could not project, parked on the dead-letter topic with their reason. An
 * admin lists the pending ones a page at a time and retries them: a retry republishes each to the
 * event topic (every projection sees it again; those that had it already skip it) and marks it
 * handled. Neither ever holds more than a page of them in memory.
 */
@Component
public class DeadLetters {

  /** One parked event. */
  public record DeadLetter(
      int partition,
      long offset,
      String aggregateId,
      String eventType,
      String projection,
      String reason,
      String originalPosition,
      Instant parkedAt) {}

  /**
   * One page of pending parked events.
   *
   * @param items the parked events, in partition and offset order
   * @param next per partition, the offset to go on from; null when nothing is left
   */
  public record PendingPage(List<DeadLetter> items, Map<Integer, Long> next) {}

  /**
   * What a retry did.
   *
   * @param count how many parked events were republished
   * @param items the first of them, at most 100: the count can be far larger
   */
  @Schema(name = "DeadLetterRetry")
  public record Retried(long count, List<DeadLetter> items) {}

  private static final String ADMIN_GROUP = "ledgerline-dead-letter-admin";
  private static final int RETRY_PAGE = 500;
  private static final int MAX_REPORTED = 100;
  private static final Duration READ_TIME = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

  private final KafkaAdmin kafkaAdmin;
  private final KafkaOffsets offsets;
  private final KafkaTemplate<Object, Object> kafka;

  DeadLetters(KafkaAdmin kafkaAdmin, KafkaOffsets offsets, KafkaTemplate<Object, Object> kafka) {
    this.kafkaAdmin = kafkaAdmin;
    this.offsets = offsets;
    this.kafka = kafka;
  }

  /**
   * At most {@code size} parked events not yet retried, from {@code from} on (per partition, the
   * next offset to read; empty for the first page). Reads no more than one page from Kafka.
   */
  public PendingPage pending(Map<Integer, Long> from, int size) {
    try (KafkaConsumer<String, byte[]> consumer = consumer(size)) {
      List<TopicPartition> partitions = partitions(consumer);
      if (partitions.isEmpty()) {
        return new PendingPage(List.of(), null);
      }
      Batch batch = read(consumer, partitions, from, size, consumer.endOffsets(partitions));
      return new PendingPage(
          batch.records().stream().map(DeadLetters::describe).toList(),
          batch.more() ? batch.next() : null);
    }
  }

  /**
   * How many parked events no retry has handled yet, from offsets alone: per partition, those after
   * the last one handled (or the log start) up to the end. Reads no record.
   */
  public long pendingCount() throws Exception {
    List<TopicPartition> partitions = offsets.partitions(ProjectionConfiguration.DEAD_LETTER_TOPIC);
    if (partitions.isEmpty()) {
      return 0;
    }
    Map<TopicPartition, OffsetAndMetadata> committed = offsets.committed(ADMIN_GROUP);
    Map<TopicPartition, Long> beginnings = offsets.beginnings(partitions);
    Map<TopicPartition, Long> ends = offsets.ends(partitions);
    long pending = 0;
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata done = committed.get(partition);
      long from =
          Math.max(done == null ? 0 : done.offset(), beginnings.getOrDefault(partition, 0L));
      pending += Math.max(0, ends.getOrDefault(partition, 0L) - from);
    }
    return pending;
  }

  /**
   * Republishes every event parked before this call to the event topic, a page at a time (memory
   * stays bounded however many there are), and marks each page handled once it is sent. Events
   * parked again meanwhile wait for the next retry.
   */
  public Retried retryAll() throws Exception {
    long count = 0;
    List<DeadLetter> reported = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer(RETRY_PAGE)) {
      List<TopicPartition> partitions = partitions(consumer);
      if (partitions.isEmpty()) {
        return new Retried(0, List.of());
      }
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (true) {
        Batch batch = read(consumer, partitions, Map.of(), RETRY_PAGE, ends);
        if (batch.records().isEmpty()) {
          break; // Done, or Kafka gave nothing within the read time: the rest waits.
        }
        republish(batch.records());
        Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
        for (TopicPartition partition : partitions) {
          handled.put(partition, new OffsetAndMetadata(batch.next().get(partition.partition())));
        }
        consumer.commitSync(handled);
        count += batch.records().size();
        for (ConsumerRecord<String, byte[]> record : batch.records()) {
          if (reported.size() < MAX_REPORTED) {
            reported.add(describe(record));
          }
        }
        if (!batch.more()) {
          break;
        }
      }
    }
    return new Retried(count, reported);
  }

  /** Sends a page together and waits for all of it: one round trip, not one per event. */
  private void republish(List<ConsumerRecord<String, byte[]>> records) throws Exception {
    List<CompletableFuture<?>> sent = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      RecordHeaders headers = new RecordHeaders();
      for (Header header : record.headers()) {
        if (!header.key().startsWith("kafka_dlt")) {
          headers.add(header);
        }
      }
      sent.add(
          kafka.send(
              new ProducerRecord<>(
                  io.ledgerline.events.EventWireFormat.EVENTS_TOPIC,
                  null,
                  record.key(),
                  record.value(),
                  headers)));
    }
    CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
  }

  /**
   * Records read, per partition the offset after them, and whether any are left before the ends.
   */
  private record Batch(
      List<ConsumerRecord<String, byte[]>> records, Map<Integer, Long> next, boolean more) {}

  /**
   * Reads at most {@code max} pending records, partition by partition, each from the furthest of
   * the group's committed offset, the log start and {@code from}, up to {@code ends}.
   */
  private Batch read(
      KafkaConsumer<String, byte[]> consumer,
      List<TopicPartition> partitions,
      Map<Integer, Long> from,
      int max,
      Map<TopicPartition, Long> ends) {
    Map<TopicPartition, OffsetAndMetadata> committed =
        consumer.committed(new HashSet<>(partitions));
    Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    Map<Integer, Long> next = new TreeMap<>();
    boolean more = false;
    Instant deadline = Instant.now().plus(READ_TIME);
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata done = committed.get(partition);
      long position =
          Math.max(
              Math.max(done == null ? 0 : done.offset(), beginnings.getOrDefault(partition, 0L)),
              from.getOrDefault(partition.partition(), 0L));
      long end = ends.getOrDefault(partition, 0L);
      if (position < end && records.size() < max) {
        consumer.assign(List.of(partition));
        consumer.seek(partition, position);
        while (position < end && records.size() < max && Instant.now().isBefore(deadline)) {
          List<ConsumerRecord<String, byte[]>> polled = consumer.poll(POLL).records(partition);
          boolean whole = true;
          for (ConsumerRecord<String, byte[]> record : polled) {
            if (record.offset() >= end) {
              position = end; // Parked after this read began: for a later one.
              whole = false;
              break;
            }
            if (records.size() >= max) {
              whole = false;
              break;
            }
            records.add(record);
            position = record.offset() + 1;
          }
          if (whole) {
            // Past gaps (compaction, transaction markers) the polls skipped.
            position = Math.max(position, Math.min(consumer.position(partition), end));
          }
        }
      }
      next.put(partition.partition(), position);
      more |= position < end;
    }
    return new Batch(records, next, more);
  }

  private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer) {
    List<PartitionInfo> infos =
        consumer.partitionsFor(ProjectionConfiguration.DEAD_LETTER_TOPIC, KAFKA_TIMEOUT);
    if (infos == null) {
      return List.of();
    }
    return infos.stream()
        .map(info -> new TopicPartition(info.topic(), info.partition()))
        .sorted(Comparator.comparingInt(TopicPartition::partition))
        .toList();
  }

  private KafkaConsumer<String, byte[]> consumer(int maxRecords) {
    Properties properties = new Properties();
    properties.putAll(kafkaAdmin.getConfigurationProperties());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, ADMIN_GROUP);
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // At most one page in memory: few records per poll, one partition's fetch at a time.
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxRecords);
    properties.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * 1024 * 1024);
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return new KafkaConsumer<>(properties);
  }

  private static DeadLetter describe(ConsumerRecord<String, byte[]> record) {
    Map<String, String> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), header.value() == null ? null : text(header));
    }
    String group = headers.getOrDefault(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP, "");
    return new DeadLetter(
        record.partition(),
        record.offset(),
        record.key(),
        headers.get(io.ledgerline.events.EventWireFormat.EVENT_TYPE),
        group.replace("ledgerline-projection-", ""),
        headers.get(KafkaHeaders.DLT_EXCEPTION_MESSAGE),
        headers.get(KafkaHeaders.DLT_ORIGINAL_PARTITION) == null
            ? null
            : "partition " + partitionOf(record) + " offset " + offsetOf(record),
        Instant.ofEpochMilli(record.timestamp()));
  }

  private static String text(Header header) {
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  private static int partitionOf(ConsumerRecord<String, byte[]> record) {
    Header header = record.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION);
    return java.nio.ByteBuffer.wrap(header.value()).getInt();
  }

  private static long offsetOf(ConsumerRecord<String, byte[]> record) {
    Header header = record.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET);
    return header == null ? -1 : java.nio.ByteBuffer.wrap(header.value()).getLong();
  }
}
