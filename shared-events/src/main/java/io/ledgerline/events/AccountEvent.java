package io.ledgerline.events;

/** An event in the life of one account; the account id is the aggregate id and the Kafka key. */
public sealed interface AccountEvent
    permits AccountOpened,
        FundsDeposited,
        FundsWithdrawn,
        AccountFrozen,
        AccountUnfrozen,
        AccountClosed,
        TransferDebited,
        TransferDebitRefused,
        TransferCredited,
        TransferCreditRefused,
        TransferDebitReversed {

  /** The id of the account this event belongs to. */
  String accountId();
}
