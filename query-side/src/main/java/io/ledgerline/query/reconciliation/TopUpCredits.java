package io.ledgerline.query.reconciliation;

import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.TopUpRequested;
import io.ledgerline.events.TopUpSucceeded;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The ledger's promise about card top-ups, checked against the event store: every top-up that
 * succeeded is deposited exactly once, into its account, with its amount, and no deposit names a
 * top-up that did not succeed.
 *
 * <p>A top-up's success and its deposit are events of two aggregates (the top-up and the account),
 * which the reconciliation meets far apart in its walk of the store. Memory stays bounded however
 * many top-ups there are: each success adds, and each deposit subtracts, a 128-bit digest of
 * (top-up, account, amount, currency) and a count in one of {@value #BUCKETS} buckets chosen by the
 * top-up id. A bucket that does not come back to zero holds a difference (a missing, doubled,
 * mismatched or orphaned deposit, missed by chance with a probability of 2^-128). Only then a
 * second pass over the store collects the top-ups of those buckets (at most {@value #MAX_DETAILS})
 * to say which and how.
 */
final class TopUpCredits {

  static final int BUCKETS = 4096;
  static final int MAX_DETAILS = 10_000;

  /** The settled events again, those of top-ups and deposits at least, in any order. */
  @FunctionalInterface
  interface Events {
    void each(Consumer<Record> event);
  }

  /** What the store says of one top-up of an unbalanced bucket. */
  private static final class Detail {
    boolean requested;
    String succeededAccount;
    long succeededAmount;
    String succeededCurrency;
    final List<String> deposits = new ArrayList<>();
  }

  private final long[] counts = new long[BUCKETS];
  private final long[] high = new long[BUCKETS];
  private final long[] low = new long[BUCKETS];
  private long succeeded;
  private long deposits;

  /** A top-up that succeeded: it is owed one deposit. */
  void succeeded(String topUpId, String accountId, long amountMinor, String currency) {
    succeeded++;
    add(topUpId, accountId, amountMinor, currency, 1);
  }

  /** A deposit naming a top-up: it settles one success. */
  void deposited(String topUpId, String accountId, long amountMinor, String currency) {
    deposits++;
    add(topUpId, accountId, amountMinor, currency, -1);
  }

  long succeeded() {
    return succeeded;
  }

  long deposits() {
    return deposits;
  }

  /** The buckets whose successes and deposits do not cancel out. */
  BitSet unbalanced() {
    BitSet buckets = new BitSet(BUCKETS);
    for (int i = 0; i < BUCKETS; i++) {
      if (counts[i] != 0 || high[i] != 0 || low[i] != 0) {
        buckets.set(i);
      }
    }
    return buckets;
  }

  /**
   * Adds a difference per top-up of an unbalanced bucket, read in a second pass over the events the
   * first pass saw (up to the same settled position).
   */
  void explain(Events events, Differences differences) {
    BitSet unbalanced = unbalanced();
    if (unbalanced.isEmpty()) {
      return;
    }
    Map<String, Detail> details = new LinkedHashMap<>();
    boolean[] truncated = {false};
    events.each(
        event -> {
          String topUpId =
              event instanceof TopUpRequested e
                  ? e.topUpId()
                  : event instanceof TopUpSucceeded e
                      ? e.topUpId()
                      : event instanceof FundsDeposited e ? e.topUpId() : null;
          if (topUpId == null || !unbalanced.get(bucket(topUpId))) {
            return;
          }
          Detail detail = details.get(topUpId);
          if (detail == null) {
            if (details.size() == MAX_DETAILS) {
              truncated[0] = true;
              return;
            }
            detail = new Detail();
            details.put(topUpId, detail);
          }
          if (event instanceof TopUpRequested) {
            detail.requested = true;
          } else if (event instanceof TopUpSucceeded e) {
            detail.succeededAccount = e.accountId();
            detail.succeededAmount = e.amountMinor();
            detail.succeededCurrency = e.currency();
          } else if (event instanceof FundsDeposited e) {
            detail.deposits.add(e.amountMinor() + " " + e.currency() + " into " + e.accountId());
          }
        });
    details.forEach((topUpId, detail) -> describe(topUpId, detail, differences));
    if (truncated[0]) {
      differences.add(
          "top-ups: more than " + MAX_DETAILS + " top-ups to tell apart; only those are listed");
    }
  }

  private static void describe(String topUpId, Detail detail, Differences differences) {
    String what = "top-up " + topUpId;
    if (detail.succeededAccount == null) {
      if (!detail.deposits.isEmpty()) {
        differences.add(
            what
                + (detail.requested ? " never succeeded" : " does not exist")
                + " but was deposited: "
                + String.join(", ", detail.deposits));
      }
      return;
    }
    String owed =
        detail.succeededAmount
            + " "
            + detail.succeededCurrency
            + " into "
            + detail.succeededAccount;
    if (detail.deposits.isEmpty()) {
      differences.add(what + " succeeded but was never deposited (owed: " + owed + ")");
    } else if (detail.deposits.size() > 1) {
      differences.add(
          what
              + " was deposited "
              + detail.deposits.size()
              + " times: "
              + String.join(", ", detail.deposits));
    } else if (!detail.deposits.get(0).equals(owed)) {
      differences.add(what + " was deposited as " + detail.deposits.get(0) + ", owed: " + owed);
    }
  }

  private void add(String topUpId, String accountId, long amountMinor, String currency, int sign) {
    int bucket = bucket(topUpId);
    byte[] digest =
        sha256(topUpId + '\u0000' + accountId + '\u0000' + amountMinor + '\u0000' + currency);
    counts[bucket] += sign;
    high[bucket] += sign * longAt(digest, 0);
    low[bucket] += sign * longAt(digest, 8);
  }

  static int bucket(String topUpId) {
    byte[] digest = sha256(topUpId);
    return ((digest[0] & 0xff) << 8 | (digest[1] & 0xff)) % BUCKETS;
  }

  private static long longAt(byte[] bytes, int offset) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = value << 8 | (bytes[offset + i] & 0xff);
    }
    return value;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
