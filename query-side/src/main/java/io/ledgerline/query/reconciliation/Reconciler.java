package io.ledgerline.query.reconciliation;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.ledgerline.query.history.EventHistory;
import io.ledgerline.query.reconciliation.AggregateFold.AccountFold;
import io.ledgerline.query.reconciliation.AggregateFold.TransferFold;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
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

  record Report(
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
  private static final int FETCH_SIZE = 1_000;

  /**
   * Every settled event, one aggregate after another in the byte order of its id (that of an
   * Elasticsearch keyword sort), each aggregate's in sequence order.
   */
  private static final String EVENTS =
      "select aggregate_identifier, sequence_number, payload_type, payload, payload_revision"
          + " from domain_event_entry where global_index <= ?"
          + " order by aggregate_identifier collate \"C\", sequence_number";

  private final DataSource dataSource;
  private final ElasticsearchClient elasticsearch;

  Reconciler(DataSource dataSource, ElasticsearchClient elasticsearch) {
    this.dataSource = dataSource;
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
   * Streams the settled events through a server-side cursor and hands over each aggregate once its
   * last event is folded; returns the settled position.
   */
  private long foldStore(Differences differences, Consumer<AggregateFold> handler) {
    try (Connection connection = dataSource.getConnection()) {
      long settled;
      // In a statement of its own, before the rows: their snapshot then sees every settled event.
      try (var statement = connection.createStatement();
          var row = statement.executeQuery("select ledgerline_settled_position()")) {
        row.next();
        settled = row.getLong(1);
      }
      // A cursor (not one big result) needs a transaction on PostgreSQL.
      connection.setAutoCommit(false);
      try (PreparedStatement query = connection.prepareStatement(EVENTS)) {
        query.setFetchSize(FETCH_SIZE);
        query.setLong(1, settled);
        try (ResultSet rows = query.executeQuery()) {
          AggregateFold fold = null;
          while (rows.next()) {
            String aggregateId = rows.getString(1);
            if (fold == null || !fold.aggregateId().equals(aggregateId)) {
              if (fold != null) {
                handler.accept(fold);
              }
              fold = new AggregateFold(aggregateId, differences);
            }
            fold.add(
                rows.getLong(2),
                EventHistory.decode(rows.getString(3), rows.getString(5), rows.getBytes(4)));
          }
          if (fold != null) {
            handler.accept(fold);
          }
        }
      } finally {
        connection.rollback();
      }
      return settled;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the event store", e);
    }
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
