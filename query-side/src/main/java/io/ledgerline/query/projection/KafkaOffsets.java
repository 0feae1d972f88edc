package io.ledgerline.query.projection;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Topic offsets and consumer-group positions, read through one Kafka admin client that lives as
 * long as the service. The projection gauges ask every 15 s and {@code GET /projections} on every
 * call; a client created for each of them cost a connection, a metadata round and some twenty log
 * lines each time (1,547 such lines in 40 minutes of one query side's log). The client reconnects
 * by itself after a Kafka outage; a call meanwhile fails after {@link #TIMEOUT}.
 */
@Component
public class KafkaOffsets implements DisposableBean {

  static final Duration TIMEOUT = Duration.ofSeconds(5);

  /**
   * The same bound given to each admin call, so the client gives up on the request itself and does
   * not keep retrying it in the background after {@link #await} has stopped waiting.
   */
  private static final int TIMEOUT_MS = (int) TIMEOUT.toMillis();

  private final KafkaAdmin kafkaAdmin;
  private AdminClient admin;
  private boolean closed;

  KafkaOffsets(KafkaAdmin kafkaAdmin) {
    this.kafkaAdmin = kafkaAdmin;
  }

  /** The partitions of {@code topic}, in order; none when the topic does not exist. */
  public List<TopicPartition> partitions(String topic) throws Exception {
    try {
      return await(
              admin()
                  .describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(TIMEOUT_MS))
                  .allTopicNames())
          .get(topic)
          .partitions()
          .stream()
          .map(p -> new TopicPartition(topic, p.partition()))
          .sorted(java.util.Comparator.comparingInt(TopicPartition::partition))
          .toList();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return List.of();
      }
      throw e;
    }
  }

  /** The offset after the last record of each partition. */
  public Map<TopicPartition, Long> ends(List<TopicPartition> partitions) throws Exception {
    return offsets(partitions, OffsetSpec.latest());
  }

  /** The offset of the first record each partition still holds. */
  public Map<TopicPartition, Long> beginnings(List<TopicPartition> partitions) throws Exception {
    return offsets(partitions, OffsetSpec.earliest());
  }

  /** The committed positions of consumer group {@code group}; a partition without one is absent. */
  public Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    await(
            admin()
                .listConsumerGroupOffsets(
                    group, new ListConsumerGroupOffsetsOptions().timeoutMs(TIMEOUT_MS))
                .partitionsToOffsetAndMetadata())
        .forEach(
            (partition, position) -> {
              if (position != null) {
                committed.put(partition, position);
              }
            });
    return committed;
  }

  private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
      throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(partition -> request.put(partition, spec));
    Map<TopicPartition, Long> offsets = new HashMap<>();
    if (request.isEmpty()) {
      return offsets;
    }
    await(admin().listOffsets(request, new ListOffsetsOptions().timeoutMs(TIMEOUT_MS)).all())
        .forEach((partition, info) -> offsets.put(partition, info.offset()));
    return offsets;
  }

  private static <T> T await(KafkaFuture<T> future)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized AdminClient admin() {
    if (closed) {
      throw new IllegalStateException("the service is stopping");
    }
    if (admin == null) {
      admin = AdminClient.create(kafkaAdmin.getConfigurationProperties());
    }
    return admin;
  }

  @Override
  public synchronized void destroy() {
    closed = true;
    if (admin != null) {
      admin.close(TIMEOUT);
      admin = null;
    }
  }
}
