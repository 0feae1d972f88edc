package io.ledgerline.events;

/**
 * Money was paid into an account.
 *
 * @param accountId the account credited
 * @param amountMinor the positive amount, in minor units of {@code currency}
 * @param currency the account's ISO 4217 currency
 * @param balanceAfterMinor the account's balance once this deposit applied
 * @param reference the client's free-text reference, or {@code null}
 */
public record FundsDeposited(
    String accountId, long amountMinor, String currency, long balanceAfterMinor, String reference)
    implements AccountEvent {}
