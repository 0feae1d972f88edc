package io.ledgerline.query.topup;

import io.ledgerline.events.TopUpFailed;
import io.ledgerline.events.TopUpIntentCreated;
import io.ledgerline.events.TopUpRequested;
import io.ledgerline.events.TopUpSucceeded;
import io.ledgerline.query.projection.LedgerEventRecord;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** The top-ups read model: one document per card top-up. */
@Schema(name = "TopUpDocument", description = "A card top-up, as the top-ups read model holds it.")
record TopUpDocument(
    @Schema(example = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f") String topUpId,
    @Schema(example = "0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f") String accountId,
    @Schema(description = "Minor units", example = "5000") long amount,
    @Schema(example = "EUR") String currency,
    @Schema(
            allowableValues = {"REQUESTED", "AWAITING_PAYMENT", "SUCCEEDED", "FAILED"},
            example = "SUCCEEDED")
        String status,
    @Schema(
            description = "The gateway's payment intent, once it exists",
            example = "pi_3Qx8sT2eZvKYlo2C0a1b2c3d")
        String intentId,
    @Schema(
            description =
                "Why the payment failed, when it did: the gateway's decline code (such as"
                    + " `insufficient_funds`), `payment_failed` or `intent_refused`",
            example = "insufficient_funds")
        String failureCode,
    @Schema(example = "2026-01-16T10:00:00Z") Instant requestedAt,
    @Schema(example = "2026-01-16T10:00:41Z") Instant updatedAt,
    @Schema(description = "The sequence number of its last event", example = "2") long version,
    @Schema(description = "The event store position of its last event", example = "1310")
        long lastGlobalPosition) {

  static TopUpDocument apply(TopUpDocument current, LedgerEventRecord record) {
    Object event = record.event();
    if (event instanceof TopUpRequested e) {
      return new TopUpDocument(
          e.topUpId(),
          e.accountId(),
          e.amountMinor(),
          e.currency(),
          "REQUESTED",
          null,
          null,
          record.timestamp(),
          record.timestamp(),
          record.sequence(),
          record.globalPosition());
    }
    if (current == null) {
      throw new IllegalStateException("event for a top-up never requested: " + event);
    }
    if (event instanceof TopUpIntentCreated e) {
      String status = "REQUESTED".equals(current.status) ? "AWAITING_PAYMENT" : current.status;
      return current.next(status, e.intentId(), current.failureCode, record);
    }
    if (event instanceof TopUpSucceeded e) {
      return current.next("SUCCEEDED", e.intentId(), null, record);
    }
    if (event instanceof TopUpFailed e) {
      return current.next(
          "FAILED",
          e.intentId() != null ? e.intentId() : current.intentId,
          e.failureCode(),
          record);
    }
    throw new IllegalArgumentException("not a top-up event: " + event);
  }

  private TopUpDocument next(
      String newStatus, String newIntentId, String newFailureCode, LedgerEventRecord record) {
    return new TopUpDocument(
        topUpId,
        accountId,
        amount,
        currency,
        newStatus,
        newIntentId,
        newFailureCode,
        requestedAt,
        record.timestamp(),
        record.sequence(),
        record.globalPosition());
  }
}
