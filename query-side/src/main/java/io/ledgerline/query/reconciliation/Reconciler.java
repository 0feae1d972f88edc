package io.ledgerline.query.reconciliation;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.ledgerline.eventstore.EventStoreReader;
import io.ledgerline.query.reconciliation.AggregateFold.AccountFold;
import io.ledgerline.query.reconciliation.AggregateFold.TransferFold;
import io.swagger.v3.oas.annotations.media.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Compares every read model with a fold of the event store, computed here independently of the
 * projectors, and lists the differences. Run it when the projections have caught up (their lag is
 * zero); while events are still in flight it reports them as differences.
 *
 * <p>Memory stays bounded however large the store: the events are streamed in aggregate order and
 * folded one aggregate at a time, and each read model is walked in the same id order, a page at a
 * time, and merge-joined with the folds.
 */
@Component
class Reconciler {

  @Schema(name = "ReconciliationReport")
  record Report(
      @Schema(description = "Whether every read model matches the event store", example = "true")
          boolean clean,
      long events,
      long settledPosition,
      long accountsChecked,
      long transfersChecked,
      long transactionsExpected,
      long transactionsFound,
      List<String> differences,
      long differencesTotal,
      boolean differencesTruncated) {}

  private static final int MAX_DIFFERENCES = 100;
  private static final int PAGE = 1_000;

  private final EventStoreReader store;
  private final ElasticsearchClient elasticsearch;

  Reconciler(EventStoreReader store, ElasticsearchClient elasticsearch) {
    this.store = store;
    this.elasticsearch = elasticsearch;
  }

  Report reconcile() throws IOException {
    Differences differences = new Differences(MAX_DIFFERENCES);
    SortedMerge<AccountFold> accounts =
        new SortedMerge<>(
            "account",
            new IndexWalk(elasticsearch, "account", "accounts", "accountId", PAGE, differences),
            AggregateFold::compareAccount,
            differences);
    SortedMerge<TransferFold> transfers =
        new SortedMerge<>(
            "transfer",
            new IndexWalk(elasticsearch, "transfer", "transfers", "transferId", PAGE, differences),
            AggregateFold::compareTransfer,
            differences);
    long[] counts = new long[2];
    long settled;
    try {
      settled =
          foldStore(
              differences,
              fold -> {
                counts[0] += fold.events();
                counts[1] += fold.movements();
                if (fold.account() != null) {
                  accounts.expect(fold.aggregateId(), fold.account());
                }
                if (fold.transfer() != null) {
                  transfers.expect(fold.aggregateId(), fold.transfer());
                }
              });
      accounts.finish();
      transfers.finish();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    withoutId("account", "accounts", "accountId", differences);
    withoutId("transfer", "transfers", "transferId", differences);
    long transactions = elasticsearch.count(c -> c.index("transactions")).count();
    if (transactions != counts[1]) {
      differences.add(
          "transactions: " + counts[1] + " movements in the store, " + transactions + " documents");
    }
    return new Report(
        differences.total() == 0,
        counts[0],
        settled,
        accounts.checked(),
        transfers.checked(),
        counts[1],
        transactions,
        differences.first(),
        differences.total(),
        differences.truncated());
  }

  /**
   * Streams the settled events, one aggregate after another in the code-point order of its id (that
   * of an Elasticsearch keyword sort), and hands over each aggregate once its last event is folded;
   * returns the settled position.
   */
  private long foldStore(Differences differences, Consumer<AggregateFold> handler) {
    AggregateFold[] fold = {null};
    long settled =
        store.streamSettledPayloadsInIdOrder(
            row -> {
              if (fold[0] == null || !fold[0].aggregateId().equals(row.aggregateId())) {
                if (fold[0] != null) {
                  handler.accept(fold[0]);
                }
                fold[0] = new AggregateFold(row.aggregateId(), differences);
              }
              fold[0].add(row.sequence(), row.event());
              return true;
            });
    if (fold[0] != null) {
      handler.accept(fold[0]);
    }
    return settled;
  }

  /** Documents the id-ordered walk cannot reach, because they lack the id field. */
  private void withoutId(String kind, String index, String idField, Differences differences)
      throws IOException {
    long count =
        elasticsearch
            .count(
                c ->
                    c.index(index)
                        .query(q -> q.bool(b -> b.mustNot(m -> m.exists(e -> e.field(idField))))))
            .count();
    if (count > 0) {
      differences.add(kind + ": " + count + " documents have no " + idField);
    }
  }
}
