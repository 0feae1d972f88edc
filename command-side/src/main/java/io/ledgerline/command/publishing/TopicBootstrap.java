package io.ledgerline.command.publishing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Creates the topics in the background until Kafka takes them, so the service starts (not ready)
 * while Kafka is down and still creates its topics once Kafka is back. Spring's own start-up
 * creation is switched off ({@code spring.kafka.admin.auto-create=false}): it blocks start-up and
 * never retries.
 */
@Component
class TopicBootstrap {

  private static final Logger log = LoggerFactory.getLogger(TopicBootstrap.class);

  private final KafkaAdmin kafkaAdmin;

  TopicBootstrap(KafkaAdmin kafkaAdmin) {
    this.kafkaAdmin = kafkaAdmin;
  }

  @EventListener(ApplicationReadyEvent.class)
  void createTopicsInBackground() {
    Thread thread =
        new Thread(
            () -> {
              while (!kafkaAdmin.initialize()) {
                log.warn("Kafka topics not created yet; retrying");
                try {
                  Thread.sleep(2_000);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
              }
            },
            "kafka-topic-bootstrap");
    thread.setDaemon(true);
    thread.start();
  }
}
