package io.ledgerline.query.projection;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * admin lists the pending ones and retries them: a retry republishes each to the event topic (every
 * projection sees it again; those that had it already skip it) and marks it handled.
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

  private static final String ADMIN_GROUP = "ledgerline-dead-letter-admin";
  private static final TopicPartition DLT =
      new TopicPartition(ProjectionConfiguration.DEAD_LETTER_TOPIC, 0);

  private final KafkaAdmin kafkaAdmin;
  private final KafkaTemplate<Object, Object> kafka;

  DeadLetters(KafkaAdmin kafkaAdmin, KafkaTemplate<Object, Object> kafka) {
    this.kafkaAdmin = kafkaAdmin;
    this.kafka = kafka;
  }

  /** The parked events not yet retried. */
  public List<DeadLetter> pending() {
    List<DeadLetter> letters = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      for (ConsumerRecord<String, byte[]> record : readPending(consumer)) {
        letters.add(describe(record));
      }
    }
    return letters;
  }

  /** Republishes every pending parked event to the event topic; returns how many. */
  public List<DeadLetter> retryAll() throws Exception {
    List<DeadLetter> retried = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<ConsumerRecord<String, byte[]>> records = readPending(consumer);
      for (ConsumerRecord<String, byte[]> record : records) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
          if (!header.key().startsWith("kafka_dlt")) {
            headers.add(header);
          }
        }
        kafka
            .send(
                new ProducerRecord<>(
                    io.ledgerline.events.EventWireFormat.EVENTS_TOPIC,
                    null,
                    record.key(),
                    record.value(),
                    headers))
            .get(10, TimeUnit.SECONDS);
        retried.add(describe(record));
      }
      if (!records.isEmpty()) {
        long next = records.get(records.size() - 1).offset() + 1;
        consumer.commitSync(Map.of(DLT, new OffsetAndMetadata(next)));
      }
    }
    return retried;
  }

  private List<ConsumerRecord<String, byte[]>> readPending(KafkaConsumer<String, byte[]> consumer) {
    consumer.assign(List.of(DLT));
    OffsetAndMetadata committed = consumer.committed(java.util.Set.of(DLT)).get(DLT);
    consumer.seek(DLT, committed == null ? 0 : committed.offset());
    long end = consumer.endOffsets(List.of(DLT)).get(DLT);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    Instant deadline = Instant.now().plusSeconds(10);
    while (consumer.position(DLT) < end && Instant.now().isBefore(deadline)) {
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    return records;
  }

  private KafkaConsumer<String, byte[]> consumer() {
    Properties properties = new Properties();
    properties.putAll(kafkaAdmin.getConfigurationProperties());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, ADMIN_GROUP);
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
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
