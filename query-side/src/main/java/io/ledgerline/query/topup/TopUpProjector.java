package io.ledgerline.query.topup;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.ledgerline.events.EventWireFormat;
import io.ledgerline.events.TopUpEvent;
import io.ledgerline.query.projection.LedgerEventRecord;
import io.ledgerline.query.projection.ProjectionTracing;
import io.ledgerline.query.projection.ReadModelIndex;
import io.ledgerline.query.projection.VersionedDocumentProjector;
import java.io.IOException;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/** Folds card top-up events into the {@code topups} read model. */
@Component
class TopUpProjector extends VersionedDocumentProjector<TopUpDocument> {

  static final String PROJECTION = "topups";
  static final ReadModelIndex INDEX =
      new ReadModelIndex("topups", "topups-v1", "/elasticsearch/topups.json");

  TopUpProjector(ElasticsearchClient elasticsearch, ProjectionTracing tracing) {
    super(elasticsearch, INDEX, tracing, TopUpDocument.class);
  }

  @Override
  public String name() {
    return PROJECTION;
  }

  @KafkaListener(
      id = "projector-" + PROJECTION,
      groupId = "ledgerline-projection-" + PROJECTION,
      topics = EventWireFormat.EVENTS_TOPIC,
      batch = "true",
      autoStartup = "false")
  void listen(List<ConsumerRecord<String, byte[]>> records, Acknowledgment ack) throws IOException {
    project(records, ack);
  }

  @Override
  public boolean handles(Record event) {
    return event instanceof TopUpEvent;
  }

  @Override
  protected TopUpDocument apply(TopUpDocument current, LedgerEventRecord event) {
    return TopUpDocument.apply(current, event);
  }

  @Override
  protected long version(TopUpDocument document) {
    return document.version();
  }
}
