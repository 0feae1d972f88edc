package io.ledgerline.query.rebuild;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import io.ledgerline.events.AccountEvent;
import io.ledgerline.events.TopUpEvent;
import io.ledgerline.events.TransferEvent;
import io.ledgerline.events.fold.AccountState;
import io.ledgerline.eventstore.EventStoreReader;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rebuilt index against a fold of the event store up to the replayed position: the number of
 * documents, the sum of their sequence numbers, and where money is held the sum of amounts. For a
 * model of one document per aggregate (accounts, transfers, top-ups) that is one document per
 * aggregate whose version is its last sequence number, and for accounts the balances; for the
 * movements (transactions) one document per event that moves money, its sequence number and its
 * signed amount.
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
      EventStoreReader store,
      String projection,
      String index,
      long upTo)
      throws Exception {
    Expected expected = expected(store, projection, upTo);
    var response =
        elasticsearch.search(
            s -> {
              s.index(index)
                  .size(0)
                  .trackTotalHits(t -> t.enabled(true))
                  .aggregations(
                      "versions",
                      Aggregation.of(a -> a.sum(f -> f.field(expected.versionField()))));
              if (expected.amountField() != null) {
                s.aggregations(
                    "amounts", Aggregation.of(a -> a.sum(f -> f.field(expected.amountField()))));
              }
              return s;
            },
            Void.class);
    long documents = response.hits().total().value();
    long actualVersions = Math.round(response.aggregations().get("versions").sum().value());
    long actualAmounts =
        expected.amountField() == null
            ? 0
            : Math.round(response.aggregations().get("amounts").sum().value());
    return new Parity(
        documents == expected.documents()
            && actualVersions == expected.versionSum()
            && actualAmounts == expected.amountSum(),
        expected.documents(),
        documents,
        expected.versionSum(),
        actualVersions,
        expected.amountSum(),
        actualAmounts);
  }

  /**
   * What the store says the index must hold, and the fields to compare it with.
   *
   * @param amountField the field whose sum is compared with {@code amountSum}, or null
   */
  private record Expected(
      long documents, long versionSum, long amountSum, String versionField, String amountField) {}

  private static Expected expected(EventStoreReader store, String projection, long upTo) {
    if (projection.equals("transactions")) {
      long[] movements = {0, 0, 0}; // count, sequence sum, signed amount sum
      store.streamPayloadsUpTo(
          upTo,
          row -> {
            if (row.event() instanceof AccountEvent e && AccountState.movesMoney(e)) {
              movements[0]++;
              movements[1] += row.sequence();
              movements[2] += AccountState.balanceChange(e);
            }
            return true;
          });
      return new Expected(movements[0], movements[1], movements[2], "sequence", "signedAmount");
    }
    boolean accounts = projection.equals("accounts");
    Class<?> events =
        accounts
            ? AccountEvent.class
            : projection.equals("topups") ? TopUpEvent.class : TransferEvent.class;
    Map<String, Long> versions = new HashMap<>();
    long[] balance = {0};
    store.streamPayloadsUpTo(
        upTo,
        row -> {
          Record event = row.event();
          if (!events.isInstance(event)) {
            return true;
          }
          versions.merge(row.aggregateId(), row.sequence(), Math::max);
          if (event instanceof AccountEvent e) {
            // The balance each event adds, as the shared fold computes it.
            balance[0] += AccountState.balanceChange(e);
          }
          return true;
        });
    return new Expected(
        versions.size(),
        versions.values().stream().mapToLong(Long::longValue).sum(),
        accounts ? balance[0] : 0,
        "version",
        accounts ? "balance" : null);
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
