package io.ledgerline.query.transfer;

import io.ledgerline.events.TransferCompleted;
import io.ledgerline.events.TransferFailed;
import io.ledgerline.events.TransferRequested;
import io.ledgerline.query.projection.LedgerEventRecord;
import java.time.Instant;

/** The transfers read model: one document per transfer. */
record TransferDocument(
    String transferId,
    String fromAccountId,
    String toAccountId,
    long amount,
    String currency,
    String reference,
    String status,
    String reason,
    Instant requestedAt,
    Instant updatedAt,
    long version,
    long lastGlobalPosition) {

  static TransferDocument apply(TransferDocument current, LedgerEventRecord record) {
    Object event = record.event();
    if (event instanceof TransferRequested e) {
      return new TransferDocument(
          e.transferId(),
          e.fromAccountId(),
          e.toAccountId(),
          e.amountMinor(),
          e.currency(),
          e.reference(),
          "REQUESTED",
          null,
          record.timestamp(),
          record.timestamp(),
          record.sequence(),
          record.globalPosition());
    }
    if (current == null) {
      throw new IllegalStateException("event for a transfer never requested: " + event);
    }
    if (event instanceof TransferCompleted) {
      return current.finished("COMPLETED", null, record);
    }
    if (event instanceof TransferFailed e) {
      return current.finished("FAILED", e.reason(), record);
    }
    throw new IllegalArgumentException("not a transfer event: " + event);
  }

  private TransferDocument finished(String newStatus, String why, LedgerEventRecord record) {
    return new TransferDocument(
        transferId,
        fromAccountId,
        toAccountId,
        amount,
        currency,
        reference,
        newStatus,
        why,
        requestedAt,
        record.timestamp(),
        record.sequence(),
        record.globalPosition());
  }
}
