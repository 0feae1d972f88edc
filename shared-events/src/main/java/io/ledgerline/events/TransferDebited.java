package io.ledgerline.events;

/**
 * The source account paid out a transfer's amount; the money is in flight until credited or
 * reversed.
 *
 * @param accountId the source account
 * @param transferId the transfer
 * @param amountMinor the positive amount, in minor units of {@code currency}
 * @param currency the account's currency
 * @param balanceAfterMinor the source's balance once debited
 * @param toAccountId the destination account
 */
public record TransferDebited(
    String accountId,
    String transferId,
    long amountMinor,
    String currency,
    long balanceAfterMinor,
    String toAccountId)
    implements AccountEvent {}
