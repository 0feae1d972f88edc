package io.ledgerline.query.projection;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.Acknowledgment;

/**
 * A Kafka batch → Elasticsearch bulk projector. Delivery is at least once; every projector makes
 * the effect exactly once (versions or create-once ids), so redelivery is harmless. Offsets are
 * acknowledged only after Elasticsearch acknowledged the writes. A record that cannot be projected
 * is reported by its index, after everything before it was written, so the error handler retries
 * from there and eventually parks it on the dead-letter topic.
 */
public abstract class Projector {

  /** What a batch write achieved: all of it, or everything before {@code failedAt}. */
  public record BatchResult(int failedAt, RuntimeException failure) {
    public static final BatchResult COMPLETE = new BatchResult(-1, null);
  }

  protected final ElasticsearchClient elasticsearch;
  private final ReadModelIndex index;

  protected Projector(ElasticsearchClient elasticsearch, ReadModelIndex index) {
    this.elasticsearch = elasticsearch;
    this.index = index;
  }

  /** The projection's stable name; its consumer group is {@code ledgerline-projection-<name>}. */
  public abstract String name();

  public ReadModelIndex index() {
    return index;
  }

  /** Whether this projection folds the given event. */
  public abstract boolean handles(Record event);

  /** Writes the events' effect; reports the first event it could not apply. */
  protected abstract BatchResult write(List<LedgerEventRecord> events) throws IOException;

  /** Projects one poll's records; the listener method of each subclass delegates here. */
  protected final void project(List<ConsumerRecord<String, byte[]>> records, Acknowledgment ack)
      throws IOException {
    List<LedgerEventRecord> events = new ArrayList<>();
    List<Integer> recordIndexes = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      LedgerEventRecord event;
      try {
        event = LedgerEventRecord.decode(records.get(i));
      } catch (RuntimeException undecodable) {
        failIfIncomplete(events.isEmpty() ? BatchResult.COMPLETE : write(events), recordIndexes);
        throw new BatchListenerFailedException(undecodable.getMessage(), undecodable, i);
      }
      if (handles(event.event())) {
        events.add(event);
        recordIndexes.add(i);
      }
    }
    failIfIncomplete(events.isEmpty() ? BatchResult.COMPLETE : write(events), recordIndexes);
    ack.acknowledge();
  }

  private static void failIfIncomplete(BatchResult result, List<Integer> recordIndexes) {
    if (result.failedAt() >= 0) {
      throw new BatchListenerFailedException(
          result.failure().getMessage(), result.failure(), recordIndexes.get(result.failedAt()));
    }
  }

  /**
   * Sends a bulk request. A 409 on an item means a newer version or the same document is already
   * stored: the write is redundant. Any other item failure fails the whole batch for a retry.
   */
  protected void bulk(List<BulkOperation> operations) throws IOException {
    if (operations.isEmpty()) {
      return;
    }
    BulkResponse response = elasticsearch.bulk(request -> request.operations(operations));
    if (!response.errors()) {
      return;
    }
    for (BulkResponseItem item : response.items()) {
      if (item.error() != null && item.status() != 409) {
        throw new IOException(
            "bulk write of "
                + item.index()
                + "/"
                + item.id()
                + " failed: "
                + item.error().reason());
      }
    }
  }
}
