package io.ledgerline.events;

/**
 * A transfer's debit was paid back to the source account because the credit could not happen.
 *
 * @param accountId the source account
 * @param transferId the transfer
 * @param amountMinor the positive amount returned
 * @param currency the account's currency
 * @param balanceAfterMinor the source's balance once reversed
 * @param reason why the credit could not happen
 */
public record TransferDebitReversed(
    String accountId,
    String transferId,
    long amountMinor,
    String currency,
    long balanceAfterMinor,
    String reason)
    implements AccountEvent {}
