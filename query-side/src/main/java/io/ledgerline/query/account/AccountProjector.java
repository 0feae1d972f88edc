package io.ledgerline.query.account;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import io.ledgerline.events.AccountEvent;
import io.ledgerline.events.EventWireFormat;
import io.ledgerline.query.projection.LedgerEventRecord;
import io.ledgerline.query.projection.ReadModelIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * Folds account events into the {@code accounts} read model.
 *
 * <p>Delivery is at least once; the effect is exactly once. Each document carries the sequence
 * number of the last event folded into it and is written with that number as its external version,
 * so a redelivered or older event is skipped here and, should two consumers race during a
 * rebalance, rejected by Elasticsearch. Offsets are committed only after the bulk write.
 */
@Component
class AccountProjector {

  static final String PROJECTION = "accounts";
  static final ReadModelIndex INDEX =
      new ReadModelIndex("accounts", "accounts-v1", "/elasticsearch/accounts.json");

  private static final Logger log = LoggerFactory.getLogger(AccountProjector.class);

  private final ElasticsearchClient elasticsearch;

  AccountProjector(ElasticsearchClient elasticsearch) {
    this.elasticsearch = elasticsearch;
  }

  @KafkaListener(
      id = "projector-" + PROJECTION,
      groupId = "ledgerline-projection-" + PROJECTION,
      topics = EventWireFormat.EVENTS_TOPIC,
      batch = "true",
      autoStartup = "false")
  void project(List<ConsumerRecord<String, byte[]>> records, Acknowledgment ack)
      throws IOException {
    List<LedgerEventRecord> events = new ArrayList<>();
    List<Integer> recordIndexes = new ArrayList<>();
    for (int index = 0; index < records.size(); index++) {
      try {
        LedgerEventRecord event = LedgerEventRecord.decode(records.get(index));
        if (event.event() instanceof AccountEvent) {
          events.add(event);
          recordIndexes.add(index);
        }
      } catch (RuntimeException undecodable) {
        // Project everything before the bad record, then let the error handler park it.
        write(fold(events).documents());
        throw new BatchListenerFailedException(undecodable.getMessage(), undecodable, index);
      }
    }
    Fold fold = fold(events);
    write(fold.documents());
    if (fold.failure() != null) {
      int index = recordIndexes.get(fold.failedAt());
      throw new BatchListenerFailedException(fold.failure().getMessage(), fold.failure(), index);
    }
    ack.acknowledge();
  }

  /** The documents changed by a batch; if an event could not be folded, where and why. */
  record Fold(Map<String, AccountDocument> documents, int failedAt, RuntimeException failure) {}

  /** Folds the batch onto the stored documents, skipping events already folded in. */
  Fold fold(List<LedgerEventRecord> events) throws IOException {
    if (events.isEmpty()) {
      return new Fold(Map.of(), -1, null);
    }
    Map<String, AccountDocument> documents = load(events);
    Map<String, AccountDocument> changed = new LinkedHashMap<>();
    for (int i = 0; i < events.size(); i++) {
      LedgerEventRecord event = events.get(i);
      AccountDocument current = documents.get(event.aggregateId());
      if (current != null && event.sequence() <= current.version()) {
        continue; // Already applied: a redelivery.
      }
      long expected = current == null ? 0 : current.version() + 1;
      try {
        if (event.sequence() != expected) {
          throw new IllegalStateException(
              "account "
                  + event.aggregateId()
                  + " expects event "
                  + expected
                  + " but received "
                  + event.sequence());
        }
        AccountDocument next = AccountDocument.apply(current, event);
        documents.put(event.aggregateId(), next);
        changed.put(event.aggregateId(), next);
      } catch (RuntimeException e) {
        return new Fold(changed, i, e);
      }
    }
    return new Fold(changed, -1, null);
  }

  private Map<String, AccountDocument> load(List<LedgerEventRecord> events) throws IOException {
    List<String> ids = events.stream().map(LedgerEventRecord::aggregateId).distinct().toList();
    Map<String, AccountDocument> documents = new LinkedHashMap<>();
    var response =
        elasticsearch.mget(
            request -> request.index(INDEX.alias()).ids(ids).realtime(true), AccountDocument.class);
    for (MultiGetResponseItem<AccountDocument> item : response.docs()) {
      if (item.isResult() && item.result().found()) {
        documents.put(item.result().id(), item.result().source());
      } else if (item.isFailure()) {
        throw new IOException("cannot read account " + item.failure().id());
      }
    }
    return documents;
  }

  private void write(Map<String, AccountDocument> documents) throws IOException {
    if (documents.isEmpty()) {
      return;
    }
    List<BulkOperation> operations = new ArrayList<>();
    documents.forEach(
        (id, document) ->
            operations.add(
                BulkOperation.of(
                    op ->
                        op.index(
                            index ->
                                index
                                    .index(INDEX.alias())
                                    .id(id)
                                    .version(document.version())
                                    .versionType(VersionType.External)
                                    .document(document)))));
    BulkResponse response = elasticsearch.bulk(request -> request.operations(operations));
    if (response.errors()) {
      for (BulkResponseItem item : response.items()) {
        if (item.error() == null) {
          continue;
        }
        if (item.status() == 409) {
          // A newer version is already stored: this write lost to a more recent one.
          log.debug("Skipped stale write of account {}", item.id());
          continue;
        }
        throw new IOException(
            "bulk write of account " + item.id() + " failed: " + item.error().reason());
      }
    }
  }
}
