package io.ledgerline.command.gateway;

import java.time.Instant;

/**
 * An event the gateway reported through a webhook whose signature was verified. The gateway
 * delivers at least once and in no particular order: the same event id may arrive again, and a
 * later event before an earlier one.
 *
 * @param id the gateway's event id ({@code evt_...}): the same on every redelivery
 * @param type e.g. {@value #PAYMENT_INTENT_SUCCEEDED} or {@value #PAYMENT_INTENT_FAILED}
 * @param created when the gateway created the event
 * @param paymentIntent the intent, as of the event, for {@code payment_intent.*} events (without
 *     its client secret); null for any other type
 */
public record GatewayEvent(String id, String type, Instant created, PaymentIntent paymentIntent) {

  public static final String PAYMENT_INTENT_SUCCEEDED = "payment_intent.succeeded";
  public static final String PAYMENT_INTENT_FAILED = "payment_intent.payment_failed";

  /** Whether the event is about a payment intent (then {@link #paymentIntent} is set). */
  public boolean isAboutPaymentIntent() {
    return paymentIntent != null;
  }
}
