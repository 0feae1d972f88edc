package io.ledgerline.events;

/**
 * The top-up's payment failed: the gateway declined the card, or refused to create the payment
 * intent. Nothing is deposited. Should the gateway still report the intent paid later (the customer
 * tried another card on it), the top-up succeeds after all ({@link TopUpSucceeded}).
 *
 * @param topUpId the top-up
 * @param intentId the payment intent whose payment failed; {@code null} when the gateway refused to
 *     create one
 * @param failureCode why, for programs: the gateway's decline or error code as it reported it (such
 *     as {@code insufficient_funds}, {@code expired_card}, {@code generic_decline}), {@code
 *     payment_failed} when it gave none, or {@code intent_refused} when it refused the intent
 */
public record TopUpFailed(String topUpId, String intentId, String failureCode)
    implements TopUpEvent {

  /** The failure code when the gateway reported a failed payment without a code. */
  public static final String PAYMENT_FAILED = "payment_failed";

  /** The failure code when the gateway refused to create the payment intent. */
  public static final String INTENT_REFUSED = "intent_refused";
}
