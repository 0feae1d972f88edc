package io.ledgerline.query.transaction;

import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.FundsWithdrawn;
import io.ledgerline.events.TransferCredited;
import io.ledgerline.events.TransferDebitReversed;
import io.ledgerline.events.TransferDebited;
import io.ledgerline.query.projection.LedgerEventRecord;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Optional;

/**
 * One ledger movement on one account: a deposit, withdrawal, transfer debit, transfer credit or
 * reversal. Immutable once written; its id is the account id and the event's sequence number.
 * Everything in it comes from the event, so a rebuild from the event store writes the same document
 * (the Kafka position it was projected from is deliberately not kept: a replay cannot know it).
 */
record TransactionDocument(
    @Schema(
            description = "The account id and the event's sequence number",
            example = "0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f:1")
        String transactionId,
    @Schema(example = "0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f") String accountId,
    @Schema(
            allowableValues = {
              "DEPOSIT",
              "WITHDRAWAL",
              "TRANSFER_DEBIT",
              "TRANSFER_CREDIT",
              "REVERSAL"
            },
            example = "DEPOSIT")
        String type,
    @Schema(description = "Minor units", example = "1250") long amount,
    @Schema(description = "Minor units, negative when money left the account", example = "1250")
        long signedAmount,
    @Schema(example = "EUR") String currency,
    @Schema(description = "The balance after the movement, in minor units", example = "1250")
        long balanceAfter,
    @Schema(description = "The transfer it belongs to, for transfer movements") String transferId,
    @Schema(description = "The other account of a transfer") String counterpartyAccountId,
    @Schema(example = "salary") String reference,
    @Schema(example = "2026-01-15T09:30:00Z") Instant timestamp,
    @Schema(description = "The event's sequence number in the account", example = "1")
        long sequence,
    @Schema(example = "41") long globalPosition) {

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
        record.globalPosition());
  }
}
