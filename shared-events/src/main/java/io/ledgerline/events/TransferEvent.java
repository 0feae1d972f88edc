package io.ledgerline.events;

/** An event in the life of one transfer; the transfer id is the aggregate id. */
public sealed interface TransferEvent permits TransferRequested, TransferCompleted, TransferFailed {

  /** The id of the transfer this event belongs to. */
  String transferId();
}
