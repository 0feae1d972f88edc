package io.ledgerline.events;

/**
 * The money of a transfer left the source and arrived at the destination.
 *
 * @param transferId the transfer
 */
public record TransferCompleted(String transferId) implements TransferEvent {}
