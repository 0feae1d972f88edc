package io.ledgerline.query.projection;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Creates every read model's index and alias before the projectors start consuming, waiting a
 * bounded time for Elasticsearch to come up.
 */
@Component
class ReadModelBootstrap implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ReadModelBootstrap.class);

  private final ElasticsearchClient elasticsearch;
  private final List<ReadModelIndex> indexes;
  private final Duration timeout;
  private volatile boolean running;

  ReadModelBootstrap(
      ElasticsearchClient elasticsearch,
      List<ReadModelIndex> indexes,
      @Value("${ledgerline.elasticsearch.startup-timeout:PT2M}") Duration timeout) {
    this.elasticsearch = elasticsearch;
    this.indexes = indexes;
    this.timeout = timeout;
  }

  @Override
  public void start() {
    Instant deadline = Instant.now().plus(timeout);
    for (ReadModelIndex index : indexes) {
      while (true) {
        try {
          index.ensureExists(elasticsearch);
          break;
        } catch (Exception e) {
          if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("cannot create index " + index.alias(), e);
          }
          log.warn("Elasticsearch not ready for {} yet: {}", index.alias(), e.getMessage());
          sleepBriefly();
        }
      }
    }
    running = true;
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Elasticsearch", e);
    }
  }

  @Override
  public void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Before the Kafka listener containers, which start in a late phase. */
  @Override
  public int getPhase() {
    return 0;
  }
}
