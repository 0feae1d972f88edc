package io.ledgerline.query.transaction;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import io.ledgerline.events.AccountEvent;
import io.ledgerline.events.EventWireFormat;
import io.ledgerline.query.projection.LedgerEventRecord;
import io.ledgerline.query.projection.ProjectionTracing;
import io.ledgerline.query.projection.Projector;
import io.ledgerline.query.projection.ReadModelIndex;
import io.ledgerline.query.projection.Rebuildable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * Writes one document per ledger movement. Each is created once under its own id (account and
 * sequence number): a redelivered event meets a 409 and leaves the first document untouched. A
 * rebuild replays the store into a new index the same way.
 */
@Component
class TransactionProjector extends Projector implements Rebuildable {

  static final String PROJECTION = "transactions";
  static final ReadModelIndex INDEX =
      new ReadModelIndex("transactions", "transactions-v1", "/elasticsearch/transactions.json");

  TransactionProjector(ElasticsearchClient elasticsearch, ProjectionTracing tracing) {
    super(elasticsearch, INDEX, tracing);
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
  protected String documentId(LedgerEventRecord event) {
    return TransactionDocument.of(event)
        .map(TransactionDocument::transactionId)
        .orElse(event.aggregateId());
  }

  @Override
  protected BatchResult write(List<LedgerEventRecord> events) throws IOException {
    return writeTo(index().alias(), events);
  }

  @Override
  public BatchResult writeTo(String target, List<LedgerEventRecord> events) throws IOException {
    bulk(operations(target, events));
    return BatchResult.COMPLETE;
  }

  /**
   * Two: each movement is its own document, created once, so batches never depend on one another,
   * and two bulk requests in flight keep both of Elasticsearch's write threads busy on two cores.
   */
  @Override
  public int concurrentWrites() {
    return 2;
  }

  /** A create (never an overwrite) per movement, under the movement's own id. */
  static List<BulkOperation> operations(String target, List<LedgerEventRecord> events) {
    List<BulkOperation> operations = new ArrayList<>();
    for (LedgerEventRecord event : events) {
      TransactionDocument.of(event)
          .ifPresent(
              document ->
                  operations.add(
                      BulkOperation.of(
                          op ->
                              op.create(
                                  create ->
                                      create
                                          .index(target)
                                          .id(document.transactionId())
                                          .document(document)))));
    }
    return operations;
  }
}
