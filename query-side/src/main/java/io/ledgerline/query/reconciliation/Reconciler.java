package io.ledgerline.query.reconciliation;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.ledgerline.events.EventWireFormat;
import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.TopUpRequested;
import io.ledgerline.events.TopUpSucceeded;
import io.ledgerline.events.fold.TopUpState;
import io.ledgerline.eventstore.EventDecoder;
import io.ledgerline.eventstore.EventStoreReader;
import io.ledgerline.query.reconciliation.AggregateFold.AccountFold;
import io.ledgerline.query.reconciliation.AggregateFold.TopUpFold;
import io.ledgerline.query.reconciliation.AggregateFold.TransferFold;
import io.swagger.v3.oas.annotations.media.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Compares every read model with a fold of the event store, computed here independently of the
 * projectors, and lists the differences; and checks the store itself for what card top-ups promise
 * (every succeeded top-up deposited exactly once, see {@link TopUpCredits}). Run it when the
 * projections have caught up (their lag is zero); while events are still in flight it reports them
 * as differences.
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
      @Schema(description = "Top-ups compared with the top-ups read model") long topUpsChecked,
      @Schema(description = "Top-ups that succeeded: each owes its account one deposit")
          long topUpsSucceeded,
      @Schema(description = "Deposits that name a top-up") long topUpDeposits,
      long transactionsExpected,
      long transactionsFound,
      List<String> differences,
      long differencesTotal,
      boolean differencesTruncated) {}

  private static final int MAX_DIFFERENCES = 100;
  private static final Set<String> TOP_UP_TYPES =
      Set.of(
          EventWireFormat.typeName(TopUpRequested.class),
          EventWireFormat.typeName(TopUpSucceeded.class),
          EventWireFormat.typeName(FundsDeposited.class));
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
    SortedMerge<TopUpFold> topUps =
        new SortedMerge<>(
            "top-up",
            new IndexWalk(elasticsearch, "top-up", "topups", "topUpId", PAGE, differences),
            AggregateFold::compareTopUp,
            differences);
    TopUpCredits credits = new TopUpCredits();
    long[] counts = new long[2];
    long settled;
    try {
      settled =
          foldStore(
              differences,
              credits,
              fold -> {
                counts[0] += fold.events();
                counts[1] += fold.movements();
                if (fold.account() != null) {
                  accounts.expect(fold.aggregateId(), fold.account());
                }
                if (fold.transfer() != null) {
                  transfers.expect(fold.aggregateId(), fold.transfer());
                }
                TopUpState topUp = fold.topUpState();
                if (topUp != null) {
                  topUps.expect(fold.aggregateId(), fold.topUp());
                  if (topUp.status() == TopUpState.Status.SUCCEEDED) {
                    credits.succeeded(
                        topUp.topUpId(), topUp.accountId(), topUp.amountMinor(), topUp.currency());
                  }
                }
              });
      accounts.finish();
      transfers.finish();
      topUps.finish();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    withoutId("account", "accounts", "accountId", differences);
    withoutId("transfer", "transfers", "transferId", differences);
    withoutId("top-up", "topups", "topUpId", differences);
    credits.explain(
        each ->
            store.streamPayloadsUpTo(
                settled,
                row -> {
                  // Only these can concern a top-up: the rest is not even decoded.
                  if (TOP_UP_TYPES.contains(EventDecoder.typeName(row.payloadType()))) {
                    each.accept(row.event());
                  }
                  return true;
                }),
        differences);
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
        topUps.checked(),
        credits.succeeded(),
        credits.deposits(),
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
  private long foldStore(
      Differences differences, TopUpCredits credits, Consumer<AggregateFold> handler) {
    AggregateFold[] fold = {null};
    long settled =
        store.streamSettledPayloadsInIdOrder(
            row -> {
              if (fold[0] == null || !fold[0].aggregateId().equals(row.aggregateId())) {
                if (fold[0] != null) {
                  handler.accept(fold[0]);
                }
                fold[0] = new AggregateFold(row.aggregateId(), differences, credits);
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
