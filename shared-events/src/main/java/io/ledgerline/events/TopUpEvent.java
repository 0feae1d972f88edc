package io.ledgerline.events;

/**
 * An event in the life of one card top-up: a deposit the customer pays by card through the payment
 * gateway. The top-up id is the aggregate id and the Kafka key; the money itself arrives in the
 * account as a {@link FundsDeposited} naming the top-up ({@link FundsDeposited#topUpId()}).
 */
public sealed interface TopUpEvent
    permits TopUpRequested, TopUpIntentCreated, TopUpSucceeded, TopUpFailed {

  /** The id of the top-up this event belongs to. */
  String topUpId();
}
