package io.ledgerline.events;

/**
 * The payment gateway created the payment intent the customer pays the top-up through; the top-up
 * awaits the payment.
 *
 * @param topUpId the top-up
 * @param intentId the gateway's id of the payment intent ({@code pi_...})
 */
public record TopUpIntentCreated(String topUpId, String intentId) implements TopUpEvent {}
