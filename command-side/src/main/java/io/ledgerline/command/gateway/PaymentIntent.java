package io.ledgerline.command.gateway;

import java.util.Map;
import java.util.Optional;

/**
 * A payment intent as the gateway reports it.
 *
 * @param id the gateway's id ({@code pi_...})
 * @param clientSecret what the customer's browser confirms the intent with; null in webhook events
 *     (it is never passed on from there)
 * @param status the gateway's status: {@code requires_payment_method}, {@code succeeded}, ...
 * @param amountMinor the amount in minor units
 * @param currency the ISO 4217 code in upper case, e.g. {@code EUR}
 * @param metadata what the intent was created with: {@link PaymentGateway#TOP_UP_ID}, {@link
 *     PaymentGateway#ACCOUNT_ID}
 * @param failureCode why the last payment attempt failed (a decline code such as {@code
 *     insufficient_funds}, else the error code), or null
 */
public record PaymentIntent(
    String id,
    String clientSecret,
    String status,
    long amountMinor,
    String currency,
    Map<String, String> metadata,
    String failureCode) {

  public static final String SUCCEEDED = "succeeded";

  public PaymentIntent {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  public boolean succeeded() {
    return SUCCEEDED.equals(status);
  }

  /** The top-up the intent was created for, from its metadata. */
  public Optional<String> topUpId() {
    return Optional.ofNullable(metadata.get(PaymentGateway.TOP_UP_ID));
  }

  /** The account the intent's top-up credits, from its metadata. */
  public Optional<String> accountId() {
    return Optional.ofNullable(metadata.get(PaymentGateway.ACCOUNT_ID));
  }

  // Without the client secret, which must never reach a log.
  @Override
  public String toString() {
    return "PaymentIntent[id="
        + id
        + ", status="
        + status
        + ", amountMinor="
        + amountMinor
        + ", currency="
        + currency
        + ", metadata="
        + metadata
        + ", failureCode="
        + failureCode
        + "]";
  }
}
