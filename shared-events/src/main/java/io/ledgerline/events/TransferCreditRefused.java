package io.ledgerline.events;

/**
 * The destination account refused a transfer's credit (frozen, closed, other currency); the
 * source's debit is to be reversed.
 *
 * @param accountId the destination account
 * @param transferId the transfer
 * @param amountMinor the amount that was to be credited
 * @param fromAccountId the source account, whose debit is reversed
 * @param reason why, for people
 */
public record TransferCreditRefused(
    String accountId, String transferId, long amountMinor, String fromAccountId, String reason)
    implements AccountEvent {}
