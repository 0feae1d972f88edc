package io.ledgerline.events;

/**
 * The destination account received a transfer's amount.
 *
 * @param accountId the destination account
 * @param transferId the transfer
 * @param amountMinor the positive amount, in minor units of {@code currency}
 * @param currency the account's currency
 * @param balanceAfterMinor the destination's balance once credited
 * @param fromAccountId the source account
 */
public record TransferCredited(
    String accountId,
    String transferId,
    long amountMinor,
    String currency,
    long balanceAfterMinor,
    String fromAccountId)
    implements AccountEvent {}
