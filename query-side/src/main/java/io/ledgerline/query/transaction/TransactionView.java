package io.ledgerline.query.transaction;

import io.ledgerline.events.EventWireFormat;
import io.ledgerline.events.PersonalFields;
import io.ledgerline.events.fold.AccountState;
import io.ledgerline.eventstore.personaldata.PersonalData;
import io.ledgerline.query.projection.LedgerEventRecord;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A movement as the API answers with it: the {@link TransactionDocument} with its reference opened
 * under its owner's key, or erased. The index keeps the sealed reference only, so Elasticsearch
 * never holds clear personal data and an erasure needs no change to it.
 */
@Schema(
    name = "TransactionDocument",
    description =
        "One ledger movement on one account: a deposit, withdrawal, transfer debit, transfer credit"
            + " or reversal.")
public record TransactionView(
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
    @Schema(
            description =
                "The client's reference of a deposit or withdrawal, the reason of a reversal; null"
                    + " when there is none or it was erased",
            example = "salary")
        String reference,
    @Schema(
            description =
                "True when the reference was erased with its owner's personal data: it can never"
                    + " be read again",
            example = "false")
        boolean referenceErased,
    @Schema(example = "2026-01-15T09:30:00Z") Instant timestamp,
    @Schema(description = "The event's sequence number in the account", example = "1")
        long sequence,
    @Schema(
            description =
                "The event's position in the store's global order; the live feed's event id",
            example = "41")
        long globalPosition) {

  /** The stored movement, its reference opened (or erased) for an answer. */
  static TransactionView of(TransactionDocument stored, PersonalData personalData) {
    PersonalData.Opened reference = personalData.open(stored.reference(), PersonalFields.REFERENCE);
    return new TransactionView(
        stored.transactionId(),
        stored.accountId(),
        stored.type(),
        stored.amount(),
        stored.signedAmount(),
        stored.currency(),
        stored.balanceAfter(),
        stored.transferId(),
        stored.counterpartyAccountId(),
        reference.value(),
        reference.erased(),
        stored.timestamp(),
        stored.sequence(),
        stored.globalPosition());
  }

  /** The wire names of the shared fold's movement types, to filter stored rows by type alone. */
  private static final Set<String> MOVEMENT_TYPES =
      AccountState.MOVEMENT_TYPES.stream()
          .map(EventWireFormat::typeName)
          .collect(Collectors.toUnmodifiableSet());

  /** Whether events of this type ({@code FundsDeposited}) record a movement. */
  public static boolean recordsAMovement(String eventType) {
    return MOVEMENT_TYPES.contains(eventType);
  }

  /** The movement {@code event} records, if it records one, as the API and the feed show it. */
  public static Optional<TransactionView> of(LedgerEventRecord event, PersonalData personalData) {
    return TransactionDocument.of(event).map(stored -> of(stored, personalData));
  }
}
