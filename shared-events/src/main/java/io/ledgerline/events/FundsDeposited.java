package io.ledgerline.events;

/**
 * Money was paid into an account.
 *
 * <p>Revision 2: {@code reference} is {@link SealedText} under the account owner's key; revision 1
 * held it in clear (readers show such a value as it is).
 *
 * @param accountId the account credited
 * @param amountMinor the positive amount, in minor units of {@code currency}
 * @param currency the account's ISO 4217 currency
 * @param balanceAfterMinor the account's balance once this deposit applied
 * @param reference the client's free-text reference, sealed, or {@code null}
 */
public record FundsDeposited(
    String accountId, long amountMinor, String currency, long balanceAfterMinor, String reference)
    implements AccountEvent {}
