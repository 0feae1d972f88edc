package io.ledgerline.query.transfer;

import io.ledgerline.events.TransferCompleted;
import io.ledgerline.events.TransferFailed;
import io.ledgerline.events.TransferRequested;
import io.ledgerline.query.projection.LedgerEventRecord;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** The transfers read model: one document per transfer. */
record TransferDocument(
    @Schema(example = "9a3e4c1b-7f2d-4b8e-8c6a-1d5f0e2b3c4d") String transferId,
    @Schema(example = "0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f") String fromAccountId,
    @Schema(example = "6c1f0d7e-8b1a-4e0b-a6f2-5d3c9e7b1a20") String toAccountId,
    @Schema(description = "Minor units", example = "500") long amount,
    @Schema(example = "EUR") String currency,
    @Schema(example = "rent") String reference,
    @Schema(
            allowableValues = {"REQUESTED", "COMPLETED", "FAILED"},
            example = "COMPLETED")
        String status,
    @Schema(description = "Why it failed, when it did") String reason,
    @Schema(example = "2026-01-15T09:30:00Z") Instant requestedAt,
    @Schema(example = "2026-01-15T09:30:01Z") Instant updatedAt,
    @Schema(description = "The sequence number of its last event", example = "2") long version,
    @Schema(description = "The event store position of its last event", example = "57")
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
