package io.ledgerline.command.account;

import io.ledgerline.events.Money;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** The JSON bodies of the account API; unknown fields are rejected by the web layer. */
final class AccountRequests {

  private AccountRequests() {}

  record OpenAccountRequest(
      @Schema(description = "The account's currency, an ISO 4217 code", example = "EUR")
          @NotNull
          @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR")
          String currency,
      @Schema(
              description = "Whose account it is (a token subject); the caller when absent",
              example = "alice")
          @Size(min = 1, max = 128)
          String ownerId,
      @Schema(description = "How far below zero the balance may go, in minor units", example = "0")
          @PositiveOrZero
          @Max(Money.MAX_AMOUNT_MINOR)
          Long overdraftLimit) {}

  record MovementRequest(
      @Schema(description = "Minor units of the account's currency", example = "1250")
          @NotNull
          @Positive
          @Max(Money.MAX_AMOUNT_MINOR)
          Long amount,
      @Schema(description = "The caller's note, kept with the event", example = "salary")
          @Size(max = 256)
          String reference) {}

  record StatusChangeRequest(
      @Schema(description = "Why, kept with the event", example = "suspected fraud")
          @Size(max = 512)
          String reason) {}

  record AccountOpenedResponse(
      @Schema(example = "0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f") String accountId,
      @Schema(example = "alice") String ownerId,
      @Schema(example = "EUR") String currency,
      @Schema(description = "Always 0: the version of a new account", example = "0")
          long version) {}

  record BalanceResponse(
      @Schema(example = "0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f") String accountId,
      @Schema(description = "The balance after the command, in minor units", example = "1250")
          long balance,
      @Schema(description = "The account's version after the command", example = "1")
          long version) {}

  record StatusResponse(
      @Schema(example = "0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f") String accountId,
      @Schema(example = "FROZEN") AccountStatus status,
      @Schema(description = "The account's version after the command", example = "2")
          long version) {}
}
