package io.ledgerline.query.reconciliation;

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
import java.util.Map;

/**
 * The events of one aggregate, in sequence order, folded independently of the projectors into what
 * its read-model document should hold.
 */
final class AggregateFold {

  record AccountFold(String ownerId, String currency, long balance, String status, long version) {}

  record TransferFold(String status, long version) {}

  private final String aggregateId;
  private final Differences differences;
  private AccountFold account;
  private TransferFold transfer;
  private long events;
  private long movements;
  private boolean unopened;

  AggregateFold(String aggregateId, Differences differences) {
    this.aggregateId = aggregateId;
    this.differences = differences;
  }

  String aggregateId() {
    return aggregateId;
  }

  /** The account this aggregate's events describe, or null if they describe none. */
  AccountFold account() {
    return account;
  }

  /** The transfer this aggregate's events describe, or null if they describe none. */
  TransferFold transfer() {
    return transfer;
  }

  long events() {
    return events;
  }

  /** Money movements among the events, each one transaction document. */
  long movements() {
    return movements;
  }

  void add(long sequence, Record event) {
    events++;
    if (event instanceof AccountEvent) {
      if (account == null && !(event instanceof AccountOpened)) {
        // A history that does not start with the opening has nothing to fold onto: say so once.
        if (!unopened) {
          unopened = true;
          differences.add(
              "account " + aggregateId + ": event " + sequence + " comes before AccountOpened");
        }
        return;
      }
      account = fold(account, event, sequence);
      if (isMovement(event)) {
        movements++;
      }
    } else if (event instanceof TransferEvent) {
      String status =
          event instanceof TransferCompleted
              ? "COMPLETED"
              : event instanceof TransferFailed ? "FAILED" : "REQUESTED";
      transfer = new TransferFold(status, sequence);
    }
  }

  static void compareAccount(
      String id, AccountFold expected, Map<String, Object> doc, Differences differences) {
    String what = "account " + id;
    differences.compare(what, "balance", expected.balance(), number(doc, "balance"));
    differences.compare(what, "version", expected.version(), number(doc, "version"));
    differences.compare(what, "status", expected.status(), doc.get("status"));
    differences.compare(what, "currency", expected.currency(), doc.get("currency"));
    differences.compare(what, "ownerId", expected.ownerId(), doc.get("ownerId"));
  }

  static void compareTransfer(
      String id, TransferFold expected, Map<String, Object> doc, Differences differences) {
    String what = "transfer " + id;
    differences.compare(what, "status", expected.status(), doc.get("status"));
    differences.compare(what, "version", expected.version(), number(doc, "version"));
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

  private static Long number(Map<String, Object> doc, String field) {
    Object value = doc.get(field);
    return value instanceof Number n ? n.longValue() : null;
  }
}
