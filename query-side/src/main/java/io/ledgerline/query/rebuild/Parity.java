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
      EventStoreReader store,
      String projection,
      String index,
      long upTo)
      throws Exception {
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
    long expectedBalance = accounts ? balance[0] : 0;
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
