package io.ledgerline.query.account;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.ledgerline.events.AccountEvent;
import io.ledgerline.events.EventWireFormat;
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

/** Folds account events into the {@code accounts} read model: one document per account. */
@Component
class AccountProjector extends VersionedDocumentProjector<AccountDocument> {

  static final String PROJECTION = "accounts";
  static final ReadModelIndex INDEX =
      new ReadModelIndex("accounts", "accounts-v1", "/elasticsearch/accounts.json");

  AccountProjector(ElasticsearchClient elasticsearch, ProjectionTracing tracing) {
    super(elasticsearch, INDEX, tracing, AccountDocument.class);
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
    return event instanceof AccountEvent;
  }

  @Override
  protected AccountDocument apply(AccountDocument current, LedgerEventRecord event) {
    return AccountDocument.apply(current, event);
  }

  @Override
  protected long version(AccountDocument document) {
    return document.version();
  }
}
