package io.ledgerline.command.publishing;

import io.ledgerline.events.EventWireFormat;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Creates the event topic at start-up when it is missing (Spring's KafkaAdmin leaves an existing
 * topic alone), so no one creates topics by hand.
 */
@Configuration(proxyBeanMethods = false)
class EventTopicConfiguration {

  @Bean
  NewTopic eventsTopic(
      @Value("${ledgerline.kafka.events-topic.partitions:6}") int partitions,
      @Value("${ledgerline.kafka.events-topic.replicas:1}") short replicas,
      @Value("${ledgerline.kafka.events-topic.min-insync-replicas:1}") int minInsyncReplicas) {
    return TopicBuilder.name(EventWireFormat.EVENTS_TOPIC)
        .partitions(partitions)
        .replicas(replicas)
        .config("min.insync.replicas", Integer.toString(minInsyncReplicas))
        // The ledger's history lives in PostgreSQL; Kafka keeps a replayable window of it.
        .config("retention.ms", Long.toString(30L * 24 * 60 * 60 * 1000))
        .build();
  }
}
