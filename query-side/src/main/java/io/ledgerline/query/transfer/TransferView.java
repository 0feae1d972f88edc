package io.ledgerline.query.transfer;

import io.ledgerline.events.PersonalFields;
import io.ledgerline.eventstore.personaldata.PersonalData;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * A transfer as the API answers with it: the {@link TransferDocument} with its reference opened
 * under the paying owner's key, or erased. The index keeps the sealed reference only.
 */
@Schema(
    name = "TransferDocument",
    description = "A transfer, as the transfers read model holds it.")
record TransferView(
    @Schema(example = "9a3e4c1b-7f2d-4b8e-8c6a-1d5f0e2b3c4d") String transferId,
    @Schema(example = "0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f") String fromAccountId,
    @Schema(example = "6c1f0d7e-8b1a-4e0b-a6f2-5d3c9e7b1a20") String toAccountId,
    @Schema(description = "Minor units", example = "500") long amount,
    @Schema(example = "EUR") String currency,
    @Schema(
            description = "The client's reference; null when there is none or it was erased",
            example = "rent")
        String reference,
    @Schema(
            description =
                "True when the reference was erased with its owner's personal data: it can never"
                    + " be read again",
            example = "false")
        boolean referenceErased,
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

  /** The stored transfer, its reference opened (or erased) for an answer. */
  static TransferView of(TransferDocument stored, PersonalData personalData) {
    PersonalData.Opened reference = personalData.open(stored.reference(), PersonalFields.REFERENCE);
    return new TransferView(
        stored.transferId(),
        stored.fromAccountId(),
        stored.toAccountId(),
        stored.amount(),
        stored.currency(),
        reference.value(),
        reference.erased(),
        stored.status(),
        stored.reason(),
        stored.requestedAt(),
        stored.updatedAt(),
        stored.version(),
        stored.lastGlobalPosition());
  }
}
