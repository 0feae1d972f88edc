package io.ledgerline.events;

/**
 * Money was taken out of an account.
 *
 * @param accountId the account debited
 * @param amountMinor the positive amount, in minor units of {@code currency}
 * @param currency the account's ISO 4217 currency
 * @param balanceAfterMinor the account's balance once this withdrawal applied
 * @param reference the client's free-text reference, or {@code null}
 */
public record FundsWithdrawn(
    String accountId, long amountMinor, String currency, long balanceAfterMinor, String reference)
    implements AccountEvent {}
