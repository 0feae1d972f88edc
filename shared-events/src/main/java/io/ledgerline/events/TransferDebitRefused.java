package io.ledgerline.events;

/**
 * The source account refused to pay out a transfer (insufficient funds, frozen, closed, other
 * currency); nothing moved.
 *
 * @param accountId the source account
 * @param transferId the transfer
 * @param reason why, for people
 */
public record TransferDebitRefused(String accountId, String transferId, String reason)
    implements AccountEvent {}
