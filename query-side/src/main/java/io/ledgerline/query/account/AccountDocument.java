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
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * The account read model: one document per account, its {@code version} the sequence number of the
 * last event folded into it (also the document's external Elasticsearch version).
 */
record AccountDocument(
    @Schema(example = "0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f") String accountId,
    @Schema(example = "alice") String ownerId,
    @Schema(example = "EUR") String currency,
    @Schema(description = "Minor units", example = "1000") long balance,
    @Schema(description = "Minor units the balance may go below zero", example = "0")
        long overdraftLimit,
    @Schema(
            allowableValues = {"OPEN", "FROZEN", "CLOSED"},
            example = "OPEN")
        String status,
    @Schema(description = "The sequence number of the last event folded in", example = "2")
        long version,
    @Schema(example = "2026-01-15T09:30:00Z") Instant openedAt,
    @Schema(example = "2026-01-15T09:31:00Z") Instant updatedAt,
    @Schema(description = "The event store position of the last event folded in", example = "42")
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
