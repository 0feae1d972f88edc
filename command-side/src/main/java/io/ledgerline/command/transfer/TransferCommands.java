package io.ledgerline.command.transfer;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The commands a transfer accepts. */
final class TransferCommands {

  private TransferCommands() {}

  record RequestTransfer(
      @TargetAggregateIdentifier String transferId,
      String fromAccountId,
      String toAccountId,
      long amountMinor,
      String currency,
      String reference) {}

  record CompleteTransfer(@TargetAggregateIdentifier String transferId) {}

  record FailTransfer(@TargetAggregateIdentifier String transferId, String reason) {}
}
