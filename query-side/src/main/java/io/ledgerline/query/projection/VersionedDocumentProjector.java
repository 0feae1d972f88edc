package io.ledgerline.query.projection;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One document per aggregate, folded from its events. The document's version is the sequence number
 * of the last event folded in and is also its external Elasticsearch version: an event at or below
 * it is a redelivery and is skipped, and should two consumers race during a rebalance,
 * Elasticsearch rejects the older write. A gap in the sequence stops the projection of that event.
 *
 * @param <D> the document type
 */
public abstract class VersionedDocumentProjector<D> extends Projector implements Rebuildable {

  private final Class<D> documentType;

  protected VersionedDocumentProjector(
      ElasticsearchClient elasticsearch,
      ReadModelIndex index,
      ProjectionTracing tracing,
      Class<D> documentType) {
    super(elasticsearch, index, tracing);
    this.documentType = documentType;
  }

  /** The document after {@code event}; {@code current} is null before the first event. */
  protected abstract D apply(D current, LedgerEventRecord event);

  /** The sequence number of the last event folded into the document. */
  protected abstract long version(D document);

  @Override
  protected BatchResult write(List<LedgerEventRecord> events) throws IOException {
    return writeTo(index().alias(), events);
  }

  /**
   * What folding a batch into the stored documents gives: the documents it changed (in the order
   * first changed), how far it got, and the gap it stopped at, if an event came before its
   * predecessor.
   *
   * @param <D> the document type
   * @param changed each changed document by aggregate id, to be written
   * @param result {@link BatchResult#COMPLETE}, or the event that could not be applied
   * @param gap why the fold stopped short of an event, or null
   */
  public record Fold<D>(Map<String, D> changed, BatchResult result, ProjectionGapException gap) {}

  /** Folds the events into the documents of {@code target} (an alias or a physical index). */
  @Override
  public BatchResult writeTo(String target, List<LedgerEventRecord> events) throws IOException {
    Fold<D> fold = fold(load(target, events), events);
    // Before a gap too: write what came before, then wait for the predecessor.
    bulk(operations(target, fold.changed()));
    if (fold.gap() != null) {
      throw fold.gap();
    }
    return fold.result();
  }

  /**
   * Folds the events into the documents stored before them, reading and writing nothing. An event
   * at or below its document's version is a redelivery and is skipped; an event past the next
   * version stops the fold with a gap (an event is never skipped); an event that cannot be applied
   * stops it with that event's index.
   *
   * @param stored the documents as stored, by aggregate id; absent before an aggregate's first
   *     event
   */
  public Fold<D> fold(Map<String, D> stored, List<LedgerEventRecord> events) {
    Map<String, D> documents = new HashMap<>(stored);
    Map<String, D> changed = new LinkedHashMap<>();
    for (int i = 0; i < events.size(); i++) {
      LedgerEventRecord event = events.get(i);
      D current = documents.get(event.aggregateId());
      if (current != null && event.sequence() <= version(current)) {
        continue; // Already folded in: a redelivery.
      }
      long expected = current == null ? 0 : version(current) + 1;
      if (event.sequence() != expected) {
        return new Fold<>(
            changed,
            BatchResult.COMPLETE,
            new ProjectionGapException(
                event.aggregateId()
                    + " expects event "
                    + expected
                    + " but received "
                    + event.sequence()));
      }
      try {
        D next = apply(current, event);
        documents.put(event.aggregateId(), next);
        changed.put(event.aggregateId(), next);
      } catch (RuntimeException e) {
        return new Fold<>(changed, new BatchResult(i, e), null);
      }
    }
    return new Fold<>(changed, BatchResult.COMPLETE, null);
  }

  /** Index operations writing each document with its version as external version. */
  protected List<BulkOperation> operations(String target, Map<String, D> changed) {
    List<BulkOperation> operations = new ArrayList<>();
    changed.forEach(
        (id, document) ->
            operations.add(
                BulkOperation.of(
                    op ->
                        op.index(
                            write ->
                                write
                                    .index(target)
                                    .id(id)
                                    .version(version(document))
                                    .versionType(VersionType.External)
                                    .document(document)))));
    return operations;
  }

  private Map<String, D> load(String target, List<LedgerEventRecord> events) throws IOException {
    List<String> ids = events.stream().map(LedgerEventRecord::aggregateId).distinct().toList();
    Map<String, D> documents = new LinkedHashMap<>();
    var response =
        elasticsearch.mget(request -> request.index(target).ids(ids).realtime(true), documentType);
    for (MultiGetResponseItem<D> item : response.docs()) {
      if (item.isFailure()) {
        throw new IOException(
            "cannot read " + item.failure().id() + ": " + item.failure().error().reason());
      }
      if (item.result().found()) {
        documents.put(item.result().id(), item.result().source());
      }
    }
    return documents;
  }
}
