package io.ledgerline.query.rebuild;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import io.ledgerline.events.AccountEvent;
import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.FundsWithdrawn;
import io.ledgerline.events.TransferCredited;
import io.ledgerline.events.TransferDebitReversed;
import io.ledgerline.events.TransferDebited;
import io.ledgerline.events.TransferEvent;
import io.ledgerline.query.history.EventHistory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The rebuilt index against a fold of the event store up to the replayed position: number of
 * documents, the sum of their versions, and for accounts the sum of balances.
 */
record Parity(
    boolean passed,
    long expectedDocuments,
    long actualDocuments,
    long expectedVersionSum,
    long actualVersionSum,
    long expectedBalanceSum,
    long actualBalanceSum) {

  static Parity check(
      ElasticsearchClient elasticsearch,
      DataSource dataSource,
      String projection,
      String index,
      long upTo)
      throws Exception {
    boolean accounts = projection.equals("accounts");
    Map<String, Long> versions = new HashMap<>();
    long balance = 0;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement query =
          connection.prepareStatement(
              "select aggregate_identifier, sequence_number, payload_type, payload, payload_revision"
                  + " from domain_event_entry where global_index <= ? order by global_index")) {
        query.setFetchSize(1_000);
        query.setLong(1, upTo);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            Record event =
                EventHistory.decode(rows.getString(3), rows.getString(5), rows.getBytes(4));
            if (accounts ? !(event instanceof AccountEvent) : !(event instanceof TransferEvent)) {
              continue;
            }
            versions.merge(rows.getString(1), rows.getLong(2), Math::max);
            balance += delta(event);
          }
        }
      } finally {
        connection.rollback();
      }
    }
    long expectedVersions = versions.values().stream().mapToLong(Long::longValue).sum();
    var response =
        elasticsearch.search(
            s -> {
              s.index(index)
                  .size(0)
                  .trackTotalHits(t -> t.enabled(true))
                  .aggregations("versions", Aggregation.of(a -> a.sum(f -> f.field("version"))));
              if (accounts) {
                s.aggregations("balance", Aggregation.of(a -> a.sum(f -> f.field("balance"))));
              }
              return s;
            },
            Void.class);
    long documents = response.hits().total().value();
    long actualVersions = Math.round(response.aggregations().get("versions").sum().value());
    long actualBalance =
        accounts ? Math.round(response.aggregations().get("balance").sum().value()) : 0;
    long expectedBalance = accounts ? balance : 0;
    return new Parity(
        documents == versions.size()
            && actualVersions == expectedVersions
            && actualBalance == expectedBalance,
        versions.size(),
        documents,
        expectedVersions,
        actualVersions,
        expectedBalance,
        actualBalance);
  }

  private static long delta(Record event) {
    if (event instanceof FundsDeposited e) {
      return e.amountMinor();
    }
    if (event instanceof FundsWithdrawn e) {
      return -e.amountMinor();
    }
    if (event instanceof TransferDebited e) {
      return -e.amountMinor();
    }
    if (event instanceof TransferCredited e) {
      return e.amountMinor();
    }
    if (event instanceof TransferDebitReversed e) {
      return e.amountMinor();
    }
    return 0;
  }

  Map<String, Object> toDocument() {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("passed", passed);
    document.put("expectedDocuments", expectedDocuments);
    document.put("actualDocuments", actualDocuments);
    document.put("expectedVersionSum", expectedVersionSum);
    document.put("actualVersionSum", actualVersionSum);
    document.put("expectedBalanceSum", expectedBalanceSum);
    document.put("actualBalanceSum", actualBalanceSum);
    return document;
  }
}
