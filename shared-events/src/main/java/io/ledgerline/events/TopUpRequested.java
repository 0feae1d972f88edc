package io.ledgerline.events;

/**
 * A customer asked to top up an account by card: the amount is to be paid at the payment gateway,
 * and deposited once the gateway reports the payment succeeded.
 *
 * @param topUpId the top-up's id, chosen by the server; also the idempotency key of its payment
 *     intent at the gateway, so a top-up never has more than one
 * @param accountId the account to credit
 * @param amountMinor the positive amount, in minor units of {@code currency}
 * @param currency the account's ISO 4217 currency, in which the card is charged
 */
public record TopUpRequested(String topUpId, String accountId, long amountMinor, String currency)
    implements TopUpEvent {}
