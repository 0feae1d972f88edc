package io.ledgerline.query.account;

import io.ledgerline.events.AccountClosed;
import io.ledgerline.events.AccountFrozen;
import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.AccountUnfrozen;
import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.FundsWithdrawn;
import io.ledgerline.events.TransferCreditRefused;
import io.ledgerline.events.TransferCredited;
import io.ledgerline.events.TransferDebitRefused;
import io.ledgerline.events.TransferDebitReversed;
import io.ledgerline.events.TransferDebited;
import io.ledgerline.query.projection.LedgerEventRecord;
import java.time.Instant;

/**
 * The account read model: one document per account, its {@code version} the sequence number of the
 * last event folded into it (also the document's external Elasticsearch version).
 */
record AccountDocument(
    String accountId,
    String ownerId,
    String currency,
    long balance,
    long overdraftLimit,
    String status,
    long version,
    Instant openedAt,
    Instant updatedAt,
    long lastGlobalPosition) {

  /** The account after {@code event}; {@code current} is null before the account was opened. */
  static AccountDocument apply(AccountDocument current, LedgerEventRecord record) {
    Instant at = record.timestamp();
    long version = record.sequence();
    long position = record.globalPosition();
    Object event = record.event();
    if (event instanceof AccountOpened e) {
      return new AccountDocument(
          e.accountId(),
          e.ownerId(),
          e.currency(),
          0,
          e.overdraftLimitMinor(),
          "OPEN",
          version,
          at,
          at,
          position);
    }
    if (current == null) {
      throw new IllegalStateException("event for an account that was never opened: " + event);
    }
    if (event instanceof FundsDeposited e) {
      return current.withBalance(current.balance + e.amountMinor(), version, at, position);
    }
    if (event instanceof FundsWithdrawn e) {
      return current.withBalance(current.balance - e.amountMinor(), version, at, position);
    }
    if (event instanceof AccountFrozen) {
      return current.withStatus("FROZEN", version, at, position);
    }
    if (event instanceof AccountUnfrozen) {
      return current.withStatus("OPEN", version, at, position);
    }
    if (event instanceof AccountClosed) {
      return current.withStatus("CLOSED", version, at, position);
    }
    if (event instanceof TransferDebited e) {
      return current.withBalance(current.balance - e.amountMinor(), version, at, position);
    }
    if (event instanceof TransferCredited e) {
      return current.withBalance(current.balance + e.amountMinor(), version, at, position);
    }
    if (event instanceof TransferDebitReversed e) {
      return current.withBalance(current.balance + e.amountMinor(), version, at, position);
    }
    if (event instanceof TransferDebitRefused || event instanceof TransferCreditRefused) {
      return current.withBalance(current.balance, version, at, position);
    }
    throw new IllegalArgumentException("not an account event: " + event);
  }

  private AccountDocument withBalance(long newBalance, long version, Instant at, long position) {
    return new AccountDocument(
        accountId,
        ownerId,
        currency,
        newBalance,
        overdraftLimit,
        status,
        version,
        openedAt,
        at,
        position);
  }

  private AccountDocument withStatus(String newStatus, long version, Instant at, long position) {
    return new AccountDocument(
        accountId,
        ownerId,
        currency,
        balance,
        overdraftLimit,
        newStatus,
        version,
        openedAt,
        at,
        position);
  }
}
