package io.ledgerline.command.account;

import io.ledgerline.events.Money;
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
      @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR")
          String currency,
      @Size(min = 1, max = 128) String ownerId,
      @PositiveOrZero @Max(Money.MAX_AMOUNT_MINOR) Long overdraftLimit) {}

  record MovementRequest(
      @NotNull @Positive @Max(Money.MAX_AMOUNT_MINOR) Long amount,
      @Size(max = 256) String reference) {}

  record StatusChangeRequest(@Size(max = 512) String reason) {}

  record AccountOpenedResponse(String accountId, String ownerId, String currency, long version) {}

  record BalanceResponse(String accountId, long balance, long version) {}

  record StatusResponse(String accountId, AccountStatus status, long version) {}
}
