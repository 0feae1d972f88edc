package io.ledgerline.events;

/**
 * Money was paid into an account: by a deposit through the API, or as the credit of a card top-up
 * that succeeded.
 *
 * <p>Revision 2: {@code reference} is {@link SealedText} under the account owner's key; revision 1
 * held it in clear (readers show such a value as it is). {@code topUpId} was added later as a
 * nullable component: events stored before it read as {@code null}.
 *
 * @param accountId the account credited
 * @param amountMinor the positive amount, in minor units of {@code currency}
 * @param currency the account's ISO 4217 currency
 * @param balanceAfterMinor the account's balance once this deposit applied
 * @param reference the client's free-text reference, sealed, or {@code null}
 * @param topUpId the card top-up this deposit credits (each is credited exactly once), or {@code
 *     null} for a deposit through the API
 */
public record FundsDeposited(
    String accountId,
    long amountMinor,
    String currency,
    long balanceAfterMinor,
    String reference,
    String topUpId)
    implements AccountEvent {

  /** A deposit through the API: no top-up. */
  public FundsDeposited(
      String accountId,
      long amountMinor,
      String currency,
      long balanceAfterMinor,
      String reference) {
    this(accountId, amountMinor, currency, balanceAfterMinor, reference, null);
  }
}
