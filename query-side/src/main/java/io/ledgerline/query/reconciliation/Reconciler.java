package io.ledgerline.query.reconciliation;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import io.ledgerline.events.AccountClosed;
import io.ledgerline.events.AccountEvent;
import io.ledgerline.events.AccountFrozen;
import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.AccountUnfrozen;
import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.FundsWithdrawn;
import io.ledgerline.events.TransferCompleted;
import io.ledgerline.events.TransferCredited;
import io.ledgerline.events.TransferDebitReversed;
import io.ledgerline.events.TransferDebited;
import io.ledgerline.events.TransferEvent;
import io.ledgerline.events.TransferFailed;
import io.ledgerline.query.history.EventHistory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * Compares every read model with a fold of the event store, computed here independently of the
 * projectors, and lists the differences. Run it when the projections have caught up (their lag is
 * zero); while events are still in flight it reports them as differences.
 */
@Component
class Reconciler {

  record Report(
      boolean clean,
      long events,
      long accountsChecked,
      long transfersChecked,
      long transactionsExpected,
      long transactionsFound,
      List<String> differences) {}

  private record AccountFold(
      String ownerId, String currency, long balance, String status, long version) {}

  private static final int MAX_DIFFERENCES = 100;
  private static final int PAGE = 1_000;

  private final EventHistory history;
  private final ElasticsearchClient elasticsearch;

  Reconciler(EventHistory history, ElasticsearchClient elasticsearch) {
    this.history = history;
    this.elasticsearch = elasticsearch;
  }

  Report reconcile() throws IOException {
    Map<String, AccountFold> accounts = new HashMap<>();
    Map<String, String[]> transfers = new HashMap<>();
    long[] counts = new long[2];
    history.forEach(
        stored -> {
          counts[0]++;
          Record event = stored.event();
          if (event instanceof AccountEvent accountEvent) {
            accounts.compute(
                accountEvent.accountId(), (id, fold) -> fold(fold, event, stored.sequence()));
            if (isMovement(event)) {
              counts[1]++;
            }
          } else if (event instanceof TransferEvent transferEvent) {
            String status =
                event instanceof TransferCompleted
                    ? "COMPLETED"
                    : event instanceof TransferFailed ? "FAILED" : "REQUESTED";
            transfers.put(
                transferEvent.transferId(),
                new String[] {status, Long.toString(stored.sequence())});
          }
        });
    List<String> differences = new ArrayList<>();
    Map<String, Map<String, Object>> accountDocs = all("accounts", "accountId");
    accounts.forEach(
        (id, expected) -> {
          Map<String, Object> doc = accountDocs.remove(id);
          if (doc == null) {
            differences.add("account " + id + " is missing");
            return;
          }
          compare(
              differences, "account " + id, "balance", expected.balance(), number(doc, "balance"));
          compare(
              differences, "account " + id, "version", expected.version(), number(doc, "version"));
          compare(differences, "account " + id, "status", expected.status(), doc.get("status"));
          compare(
              differences, "account " + id, "currency", expected.currency(), doc.get("currency"));
          compare(differences, "account " + id, "ownerId", expected.ownerId(), doc.get("ownerId"));
        });
    accountDocs.keySet().forEach(id -> differences.add("account " + id + " has no events"));
    Map<String, Map<String, Object>> transferDocs = all("transfers", "transferId");
    transfers.forEach(
        (id, expected) -> {
          Map<String, Object> doc = transferDocs.remove(id);
          if (doc == null) {
            differences.add("transfer " + id + " is missing");
            return;
          }
          compare(differences, "transfer " + id, "status", expected[0], doc.get("status"));
          compare(
              differences,
              "transfer " + id,
              "version",
              Long.parseLong(expected[1]),
              number(doc, "version"));
        });
    transferDocs.keySet().forEach(id -> differences.add("transfer " + id + " has no events"));
    long transactions = elasticsearch.count(c -> c.index("transactions")).count();
    if (transactions != counts[1]) {
      differences.add(
          "transactions: " + counts[1] + " movements in the store, " + transactions + " documents");
    }
    return new Report(
        differences.isEmpty(),
        counts[0],
        accounts.size(),
        transfers.size(),
        counts[1],
        transactions,
        differences.subList(0, Math.min(differences.size(), MAX_DIFFERENCES)));
  }

  private static AccountFold fold(AccountFold fold, Record event, long sequence) {
    if (event instanceof AccountOpened e) {
      return new AccountFold(e.ownerId(), e.currency(), 0, "OPEN", sequence);
    }
    long delta = 0;
    String status = fold.status();
    if (event instanceof FundsDeposited e) {
      delta = e.amountMinor();
    } else if (event instanceof FundsWithdrawn e) {
      delta = -e.amountMinor();
    } else if (event instanceof TransferDebited e) {
      delta = -e.amountMinor();
    } else if (event instanceof TransferCredited e) {
      delta = e.amountMinor();
    } else if (event instanceof TransferDebitReversed e) {
      delta = e.amountMinor();
    } else if (event instanceof AccountFrozen) {
      status = "FROZEN";
    } else if (event instanceof AccountUnfrozen) {
      status = "OPEN";
    } else if (event instanceof AccountClosed) {
      status = "CLOSED";
    }
    return new AccountFold(
        fold.ownerId(), fold.currency(), fold.balance() + delta, status, sequence);
  }

  private static boolean isMovement(Record event) {
    return event instanceof FundsDeposited
        || event instanceof FundsWithdrawn
        || event instanceof TransferDebited
        || event instanceof TransferCredited
        || event instanceof TransferDebitReversed;
  }

  private static void compare(
      List<String> differences, String what, String field, Object expected, Object actual) {
    if (!Objects.equals(expected, actual)) {
      differences.add(what + ": " + field + " is " + actual + ", the events say " + expected);
    }
  }

  private static Long number(Map<String, Object> doc, String field) {
    Object value = doc.get(field);
    return value instanceof Number n ? n.longValue() : null;
  }

  /** Every document of an index, by id, paging on the id. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private Map<String, Map<String, Object>> all(String index, String idField) throws IOException {
    Map<String, Map<String, Object>> documents = new HashMap<>();
    List<FieldValue> after = null;
    while (true) {
      List<FieldValue> searchAfter = after;
      var response =
          elasticsearch.search(
              s -> {
                s.index(index)
                    .size(PAGE)
                    .sort(o -> o.field(f -> f.field(idField).order(SortOrder.Asc)));
                if (searchAfter != null) {
                  s.searchAfter(searchAfter);
                }
                return s;
              },
              Map.class);
      var hits = response.hits().hits();
      for (var hit : hits) {
        documents.put(hit.id(), (Map<String, Object>) (Map) hit.source());
      }
      if (hits.size() < PAGE) {
        return documents;
      }
      after = hits.get(hits.size() - 1).sort();
    }
  }
}
