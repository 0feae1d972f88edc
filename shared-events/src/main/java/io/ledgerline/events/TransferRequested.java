package io.ledgerline.events;

/**
 * A client asked to move money between two accounts of the same currency.
 *
 * <p>Revision 2: {@code reference} is {@link SealedText} under the key of the source account's
 * owner; revision 1 held it in clear (readers show such a value as it is).
 *
 * @param transferId the transfer's id, chosen by the server
 * @param fromAccountId the account to debit
 * @param toAccountId the account to credit
 * @param amountMinor the positive amount, in minor units of {@code currency}
 * @param currency the ISO 4217 currency of both accounts
 * @param reference the client's free-text reference, sealed, or {@code null}
 */
public record TransferRequested(
    String transferId,
    String fromAccountId,
    String toAccountId,
    long amountMinor,
    String currency,
    String reference)
    implements TransferEvent {}
