package io.ledgerline.events;

/**
 * The payment gateway reported, in a signed webhook, that the top-up's payment succeeded: its
 * amount is to be deposited into the account, exactly once. A top-up succeeds at most once; it may
 * succeed after it {@link TopUpFailed failed} (the customer paid the same intent with another
 * card), since money the gateway took is never left uncredited.
 *
 * @param topUpId the top-up
 * @param intentId the payment intent that succeeded
 * @param accountId the account to credit
 * @param amountMinor the positive amount paid, in minor units of {@code currency}
 * @param currency the ISO 4217 currency paid in: the account's
 */
public record TopUpSucceeded(
    String topUpId, String intentId, String accountId, long amountMinor, String currency)
    implements TopUpEvent {}
