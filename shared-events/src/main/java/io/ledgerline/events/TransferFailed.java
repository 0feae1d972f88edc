package io.ledgerline.events;

/**
 * A transfer ended without moving money: the debit was refused, or the credit was and the debit was
 * reversed.
 *
 * @param transferId the transfer
 * @param reason why, for people
 */
public record TransferFailed(String transferId, String reason) implements TransferEvent {}
