package io.ledgerline.query.transaction;

import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.FundsWithdrawn;
import io.ledgerline.events.TransferCredited;
import io.ledgerline.events.TransferDebitReversed;
import io.ledgerline.events.TransferDebited;
import io.ledgerline.query.projection.LedgerEventRecord;
import java.time.Instant;
import java.util.Optional;

/**
 * One ledger movement on one account: a deposit, withdrawal, transfer debit, transfer credit or
 * reversal. Immutable once written; its id is the account id and the event's sequence number.
 */
record TransactionDocument(
    String transactionId,
    String accountId,
    String type,
    long amount,
    long signedAmount,
    String currency,
    long balanceAfter,
    String transferId,
    String counterpartyAccountId,
    String reference,
    Instant timestamp,
    long sequence,
    long globalPosition,
    int partition,
    long offset) {

  /** The movement an event records, if it records one. */
  static Optional<TransactionDocument> of(LedgerEventRecord record) {
    Object event = record.event();
    if (event instanceof FundsDeposited e) {
      return Optional.of(
          movement(
              record,
              "DEPOSIT",
              e.amountMinor(),
              e.currency(),
              e.balanceAfterMinor(),
              null,
              null,
              e.reference()));
    }
    if (event instanceof FundsWithdrawn e) {
      return Optional.of(
          movement(
              record,
              "WITHDRAWAL",
              -e.amountMinor(),
              e.currency(),
              e.balanceAfterMinor(),
              null,
              null,
              e.reference()));
    }
    if (event instanceof TransferDebited e) {
      return Optional.of(
          movement(
              record,
              "TRANSFER_DEBIT",
              -e.amountMinor(),
              e.currency(),
              e.balanceAfterMinor(),
              e.transferId(),
              e.toAccountId(),
              null));
    }
    if (event instanceof TransferCredited e) {
      return Optional.of(
          movement(
              record,
              "TRANSFER_CREDIT",
              e.amountMinor(),
              e.currency(),
              e.balanceAfterMinor(),
              e.transferId(),
              e.fromAccountId(),
              null));
    }
    if (event instanceof TransferDebitReversed e) {
      return Optional.of(
          movement(
              record,
              "REVERSAL",
              e.amountMinor(),
              e.currency(),
              e.balanceAfterMinor(),
              e.transferId(),
              null,
              e.reason()));
    }
    return Optional.empty();
  }

  static String id(String accountId, long sequence) {
    return accountId + ":" + sequence;
  }

  private static TransactionDocument movement(
      LedgerEventRecord record,
      String type,
      long signedAmount,
      String currency,
      long balanceAfter,
      String transferId,
      String counterparty,
      String reference) {
    return new TransactionDocument(
        id(record.aggregateId(), record.sequence()),
        record.aggregateId(),
        type,
        Math.abs(signedAmount),
        signedAmount,
        currency,
        balanceAfter,
        transferId,
        counterparty,
        reference,
        record.timestamp(),
        record.sequence(),
        record.globalPosition(),
        record.partition(),
        record.offset());
  }
}
