package io.ledgerline.query.projection;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Creates every read model's index and alias and the dead-letter topic, then starts the projectors.
 * Runs in the background so the service starts (and reports itself not ready) while Elasticsearch
 * is still unreachable; the projectors never write to an index that was created by dynamic mapping.
 */
@Component
class ReadModelBootstrap {

  private static final Logger log = LoggerFactory.getLogger(ReadModelBootstrap.class);
  private static final long RETRY_MILLIS = 1_000;

  private final ElasticsearchClient elasticsearch;
  private final List<Projector> projections;
  private final KafkaListenerEndpointRegistry projectors;
  private final KafkaAdmin kafkaAdmin;

  ReadModelBootstrap(
      ElasticsearchClient elasticsearch,
      List<Projector> projections,
      KafkaListenerEndpointRegistry projectors,
      KafkaAdmin kafkaAdmin) {
    this.elasticsearch = elasticsearch;
    this.projections = projections;
    this.projectors = projectors;
    this.kafkaAdmin = kafkaAdmin;
  }

  @EventListener(ApplicationReadyEvent.class)
  void bootstrapInBackground() {
    Thread thread = new Thread(this::bootstrap, "read-model-bootstrap");
    thread.setDaemon(true);
    thread.start();
  }

  private void bootstrap() {
    for (ReadModelIndex index : projections.stream().map(Projector::index).toList()) {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          index.ensureExists(elasticsearch);
          break;
        } catch (Exception e) {
          log.warn("Cannot create index {} yet, retrying: {}", index.alias(), e.getMessage());
          try {
            Thread.sleep(RETRY_MILLIS);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
    // Spring's start-up topic creation is off: it blocks start-up and never retries.
    while (!kafkaAdmin.initialize()) {
      log.warn("Cannot create the dead-letter topic yet, retrying");
      try {
        Thread.sleep(RETRY_MILLIS);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    log.info("Read models ready; starting the projectors");
    projectors.getListenerContainers().forEach(container -> container.start());
  }
}
