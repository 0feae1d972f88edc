package io.ledgerline.query.projection;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.stereotype.Component;

/**
 * Creates every read model's index and alias, then starts the projectors. Runs in the background so
 * the service starts (and reports itself not ready) while Elasticsearch is still unreachable; the
 * projectors never write to an index that was created by dynamic mapping.
 */
@Component
class ReadModelBootstrap {

  private static final Logger log = LoggerFactory.getLogger(ReadModelBootstrap.class);
  private static final long RETRY_MILLIS = 1_000;

  private final ElasticsearchClient elasticsearch;
  private final List<ReadModelIndex> indexes;
  private final KafkaListenerEndpointRegistry projectors;

  ReadModelBootstrap(
      ElasticsearchClient elasticsearch,
      List<ReadModelIndex> indexes,
      KafkaListenerEndpointRegistry projectors) {
    this.elasticsearch = elasticsearch;
    this.indexes = indexes;
    this.projectors = projectors;
  }

  @EventListener(ApplicationReadyEvent.class)
  void bootstrapInBackground() {
    Thread thread = new Thread(this::bootstrap, "read-model-bootstrap");
    thread.setDaemon(true);
    thread.start();
  }

  private void bootstrap() {
    for (ReadModelIndex index : indexes) {
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
    log.info("Read models ready; starting the projectors");
    projectors.getListenerContainers().forEach(container -> container.start());
  }
}
