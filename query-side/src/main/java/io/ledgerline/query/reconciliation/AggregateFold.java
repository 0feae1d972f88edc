package io.ledgerline.query.reconciliation;

import io.ledgerline.events.AccountEvent;
import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.TopUpEvent;
import io.ledgerline.events.TransferEvent;
import io.ledgerline.events.fold.AccountState;
import io.ledgerline.events.fold.TopUpState;
import io.ledgerline.events.fold.TransferState;
import java.util.Map;

/**
 * The events of one aggregate, in sequence order, folded independently of the projectors (through
 * the shared fold of {@code io.ledgerline.events.fold}) into what its read-model document should
 * hold.
 */
final class AggregateFold {

  record AccountFold(String ownerId, String currency, long balance, String status, long version) {
    static AccountFold of(AccountState state) {
      return new AccountFold(
          state.ownerId(),
          state.currency(),
          state.balanceMinor(),
          state.status().name(),
          state.version());
    }
  }

  record TransferFold(String status, long version) {
    static TransferFold of(TransferState state) {
      return new TransferFold(state.status().name(), state.version());
    }
  }

  record TopUpFold(String status, long version) {
    static TopUpFold of(TopUpState state) {
      return new TopUpFold(state.status().name(), state.version());
    }
  }

  private final String aggregateId;
  private final Differences differences;
  private final TopUpCredits credits;
  private AccountState account;
  private TransferState transfer;
  private TopUpState topUp;
  private long events;
  private long movements;
  private boolean unopened;
  private boolean unrequested;

  AggregateFold(String aggregateId, Differences differences) {
    this(aggregateId, differences, null);
  }

  /**
   * @param credits where the top-ups' credits are counted (the deposits that name a top-up), or
   *     null to count none
   */
  AggregateFold(String aggregateId, Differences differences, TopUpCredits credits) {
    this.aggregateId = aggregateId;
    this.differences = differences;
    this.credits = credits;
  }

  String aggregateId() {
    return aggregateId;
  }

  /** The account this aggregate's events describe, or null if they describe none. */
  AccountFold account() {
    return account == null ? null : AccountFold.of(account);
  }

  /** The transfer this aggregate's events describe, or null if they describe none. */
  TransferFold transfer() {
    return transfer == null ? null : TransferFold.of(transfer);
  }

  /** The top-up this aggregate's events describe, or null if they describe none. */
  TopUpFold topUp() {
    return topUp == null ? null : TopUpFold.of(topUp);
  }

  /** The whole state of the top-up this aggregate's events describe, or null. */
  TopUpState topUpState() {
    return topUp;
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
    if (event instanceof AccountEvent e) {
      account = AccountState.fold(account, e, sequence);
      if (account == null) {
        // A history that does not start with the opening has nothing to fold onto: say so once.
        if (!unopened) {
          unopened = true;
          differences.add(
              "account " + aggregateId + ": event " + sequence + " comes before AccountOpened");
        }
        return;
      }
      if (AccountState.movesMoney(e)) {
        movements++;
      }
      if (credits != null && e instanceof FundsDeposited deposit && deposit.topUpId() != null) {
        credits.deposited(
            deposit.topUpId(), deposit.accountId(), deposit.amountMinor(), deposit.currency());
      }
    } else if (event instanceof TransferEvent e) {
      transfer = TransferState.fold(transfer, e, sequence);
      if (transfer == null && !unrequested) {
        unrequested = true;
        differences.add(
            "transfer " + aggregateId + ": event " + sequence + " comes before TransferRequested");
      }
    } else if (event instanceof TopUpEvent e) {
      topUp = TopUpState.fold(topUp, e, sequence);
      if (topUp == null && !unrequested) {
        unrequested = true;
        differences.add(
            "top-up " + aggregateId + ": event " + sequence + " comes before TopUpRequested");
      }
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

  static void compareTopUp(
      String id, TopUpFold expected, Map<String, Object> doc, Differences differences) {
    String what = "top-up " + id;
    differences.compare(what, "status", expected.status(), doc.get("status"));
    differences.compare(what, "version", expected.version(), number(doc, "version"));
  }

  private static Long number(Map<String, Object> doc, String field) {
    Object value = doc.get(field);
    return value instanceof Number n ? n.longValue() : null;
  }
}
