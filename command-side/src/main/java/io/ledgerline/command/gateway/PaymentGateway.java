package io.ledgerline.command.gateway;

/**
 * The card payment gateway (Stripe's API, or the local stack's simulator) as the top-up process
 * uses it. Every call is bounded by timeouts; calls that are safe to repeat (those carrying an
 * idempotency key, and reads) are retried with backoff; a circuit breaker stops calling a gateway
 * that keeps failing. Failures arrive as a {@link GatewayException} whose {@link
 * GatewayException.Kind} says what the caller may do about it.
 *
 * <p>The outcome of a payment is not an answer to a call: the gateway reports it later as a
 * verified webhook event ({@link GatewayEventListener}).
 */
public interface PaymentGateway {

  /** Metadata key of the top-up a payment intent belongs to. */
  String TOP_UP_ID = "top_up_id";

  /** Metadata key of the account the top-up credits. */
  String ACCOUNT_ID = "account_id";

  /**
   * Whether a gateway is configured. When it is not, every call fails with {@link
   * GatewayException.Kind#DISABLED}.
   */
  boolean isEnabled();

  /**
   * Creates a payment intent for a card top-up, with the top-up id as the gateway's idempotency
   * key: calling again for the same top-up (after a timeout, a crash, a redelivered event) returns
   * the same intent and never charges twice; calling with the same top-up id but another amount,
   * account or currency is refused ({@link GatewayException.Kind#INVALID_REQUEST}, code {@code
   * idempotency_error}). The intent carries {@value #TOP_UP_ID} and {@value #ACCOUNT_ID} in its
   * metadata, which its webhook events return.
   *
   * @param topUpId the top-up's id, at most 255 characters
   * @param accountId the account to credit
   * @param amountMinor the amount in minor units of {@code currency}, at least 1
   * @param currency an ISO 4217 code, e.g. {@code EUR}
   * @return the intent, with the client secret the customer's browser confirms it with
   * @throws GatewayException when the gateway refuses, fails or is not configured
   * @throws IllegalArgumentException when an argument is blank or out of range
   */
  PaymentIntent createPaymentIntent(
      String topUpId, String accountId, long amountMinor, String currency);

  /**
   * Reads an intent's current state, e.g. to reconcile a top-up whose webhook has not arrived.
   *
   * @throws GatewayException when the gateway refuses (an unknown id is {@link
   *     GatewayException.Kind#INVALID_REQUEST} with code {@code resource_missing}), fails or is not
   *     configured
   */
  PaymentIntent retrievePaymentIntent(String intentId);
}
