package io.ledgerline.query.transfer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.ledgerline.events.EventWireFormat;
import io.ledgerline.events.TransferEvent;
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

/** Folds transfer events into the {@code transfers} read model. */
@Component
class TransferProjector extends VersionedDocumentProjector<TransferDocument> {

  static final String PROJECTION = "transfers";
  static final ReadModelIndex INDEX =
      new ReadModelIndex("transfers", "transfers-v1", "/elasticsearch/transfers.json");

  TransferProjector(ElasticsearchClient elasticsearch, ProjectionTracing tracing) {
    super(elasticsearch, INDEX, tracing, TransferDocument.class);
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
    return event instanceof TransferEvent;
  }

  @Override
  protected TransferDocument apply(TransferDocument current, LedgerEventRecord event) {
    return TransferDocument.apply(current, event);
  }

  @Override
  protected long version(TransferDocument document) {
    return document.version();
  }
}
