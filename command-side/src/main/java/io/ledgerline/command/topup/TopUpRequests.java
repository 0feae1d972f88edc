package io.ledgerline.command.topup;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** The JSON bodies of the top-up API; unknown fields are rejected by the web layer. */
final class TopUpRequests {

  /**
   * The largest amount one card payment may carry: Stripe's limit for an amount, 8 digits of minor
   * units (€999,999.99), which its simulator keeps too.
   */
  static final long MAX_CARD_AMOUNT_MINOR = 99_999_999L;

  private TopUpRequests() {}

  record TopUpRequest(
      @Schema(
              description = "The account to credit; a customer's own",
              example = "0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f")
          @NotBlank
          @Size(max = 255)
          String accountId,
      @Schema(
              description =
                  "Minor units of the account's currency, at most 99999999 (the largest card"
                      + " payment the gateway takes)",
              example = "5000")
          @NotNull
          @Positive
          @Max(MAX_CARD_AMOUNT_MINOR)
          Long amount,
      @Schema(
              description =
                  "The account's currency, to make sure: another one is refused. The card is"
                      + " charged in the account's currency.",
              example = "EUR")
          @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR")
          String currency) {}

  /**
   * A top-up and how to pay it.
   *
   * @param clientSecret what the customer's browser confirms the payment intent with; never stored
   *     by the ledger, so a retry with the same {@code Idempotency-Key} fetches it again
   */
  record TopUpStarted(
      @Schema(example = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f") String topUpId,
      @Schema(example = "0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f") String accountId,
      @Schema(description = "Minor units", example = "5000") long amount,
      @Schema(example = "EUR") String currency,
      @Schema(
              description =
                  "`AWAITING_PAYMENT` once the gateway holds its payment intent; a retried request"
                      + " shows how far the top-up got since (`SUCCEEDED`, `FAILED`)",
              example = "AWAITING_PAYMENT")
          TopUpStatus status,
      @Schema(description = "The gateway's payment intent", example = "pi_3Qx8sT2eZvKYlo2C0a1b2c3d")
          String intentId,
      @Schema(
              description =
                  "What the customer's browser confirms the payment intent with (Stripe.js"
                      + " `confirmCardPayment`); null once the top-up succeeded. Keep it to the"
                      + " customer: it lets its holder pay this intent",
              example = "pi_3Qx8sT2eZvKYlo2C0a1b2c3d_secret_V2m9kLq0sT4uW6yZ8bD1fH3jN")
          String clientSecret) {}

  /**
   * A top-up as the command side knows it.
   *
   * @param stuck whether its deposit is parked in the top-up process's dead-letter queue (the
   *     account refused it): it goes no further until an operator acts
   */
  record TopUpView(
      @Schema(example = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f") String topUpId,
      @Schema(example = "0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f") String accountId,
      @Schema(description = "Minor units", example = "5000") long amount,
      @Schema(example = "EUR") String currency,
      @Schema(example = "SUCCEEDED") TopUpStatus status,
      @Schema(
              description = "The gateway's payment intent, once it exists",
              example = "pi_3Qx8sT2eZvKYlo2C0a1b2c3d")
          String intentId,
      @Schema(
              description =
                  "Why the payment failed, when it did: the gateway's decline code (such as"
                      + " `insufficient_funds`), `payment_failed`, or `intent_refused`",
              example = "insufficient_funds")
          String failureCode,
      @Schema(
              description =
                  "Whether the amount is deposited on the account: true shortly after `SUCCEEDED`",
              example = "true")
          boolean credited,
      @Schema(example = "2026-01-16T10:00:00Z") Instant requestedAt,
      @Schema(example = "2026-01-16T10:00:41Z") Instant updatedAt,
      @Schema(example = "false") boolean stuck,
      @Schema(description = "Why it is stuck, when it is") String stuckReason) {}
}
