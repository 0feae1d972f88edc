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
 * from there and eventually parks it on the dead-letter topic. Each event written continues its own
 * trace (see {@link ProjectionTracing}).
 */
public abstract class Projector {

  /** What a batch write achieved: all of it, or everything before {@code failedAt}. */
  public record BatchResult(int failedAt, RuntimeException failure) {
    public static final BatchResult COMPLETE = new BatchResult(-1, null);
  }

  protected final ElasticsearchClient elasticsearch;
  private final ReadModelIndex index;
  private final ProjectionTracing tracing;

  protected Projector(
      ElasticsearchClient elasticsearch, ReadModelIndex index, ProjectionTracing tracing) {
    this.elasticsearch = elasticsearch;
    this.index = index;
    this.tracing = tracing;
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

  /**
   * Projects one poll's records; the listener method of each subclass delegates here. A passing
   * failure of the read store becomes a {@link ReadStoreUnavailableException} (retried without end,
   * offsets untouched); a deterministic one is reported against the record it belongs to, so the
   * error handler parks exactly that record.
   */
  protected final void project(List<ConsumerRecord<String, byte[]>> records, Acknowledgment ack) {
    ProjectionTracing.Batch traced = tracing.batch(name(), index.alias());
    try {
      project(records, ack, traced);
    } catch (RuntimeException failure) {
      traced.failed(failure);
      throw failure;
    }
    traced.projected();
  }

  private void project(
      List<ConsumerRecord<String, byte[]>> records,
      Acknowledgment ack,
      ProjectionTracing.Batch traced) {
    List<LedgerEventRecord> events = new ArrayList<>();
    List<Integer> recordIndexes = new ArrayList<>();
    try {
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
          traced.add(records.get(i), event);
        }
      }
      failIfIncomplete(events.isEmpty() ? BatchResult.COMPLETE : write(events), recordIndexes);
    } catch (BatchListenerFailedException | ProjectionGapException decided) {
      throw decided;
    } catch (IOException | RuntimeException failure) {
      if (ReadStoreFailures.isTransient(failure)) {
        throw new ReadStoreUnavailableException(name(), failure);
      }
      throw new BatchListenerFailedException(
          failure.getMessage(), failure, recordOf(failure, events, recordIndexes));
    }
    ack.acknowledge();
  }

  /** The record a deterministic failure belongs to: the rejected document's first event. */
  private int recordOf(
      Throwable failure, List<LedgerEventRecord> events, List<Integer> recordIndexes) {
    if (failure instanceof RejectedDocumentException rejected) {
      for (int i = 0; i < events.size(); i++) {
        if (rejected.documentId().equals(documentId(events.get(i)))) {
          return recordIndexes.get(i);
        }
      }
    }
    return recordIndexes.isEmpty() ? 0 : recordIndexes.get(0);
  }

  /** The id of the document an event is written to. */
  protected String documentId(LedgerEventRecord event) {
    return event.aggregateId();
  }

  private static void failIfIncomplete(BatchResult result, List<Integer> recordIndexes) {
    if (result.failedAt() >= 0) {
      throw new BatchListenerFailedException(
          result.failure().getMessage(), result.failure(), recordIndexes.get(result.failedAt()));
    }
  }

  /**
   * Sends a bulk request. A 409 on an item means a newer version or the same document is already
   * stored: the write is redundant. Any other item failure fails the batch: a passing one (429,
   * 5xx) for a retry, a rejection for the dead letters (see {@link ReadStoreFailures}).
   */
  protected void bulk(List<BulkOperation> operations) throws IOException {
    if (operations.isEmpty()) {
      return;
    }
    BulkResponse response = elasticsearch.bulk(request -> request.operations(operations));
    if (response.errors()) {
      requireWritten(response.items());
    }
  }

  /**
   * Fails on the items of a bulk response that were not written, 409s aside: the first passing
   * failure, else the first rejection.
   */
  static void requireWritten(List<BulkResponseItem> items) {
    RejectedDocumentException rejected = null;
    for (BulkResponseItem item : items) {
      if (item.error() != null && item.status() != 409) {
        var failure =
            new RejectedDocumentException(
                item.index(), item.id(), item.status(), item.error().reason());
        if (ReadStoreFailures.isTransientStatus(item.status())) {
          throw failure; // retry the whole batch: writes are idempotent
        }
        rejected = rejected == null ? failure : rejected;
      }
    }
    if (rejected != null) {
      throw rejected;
    }
  }
}
