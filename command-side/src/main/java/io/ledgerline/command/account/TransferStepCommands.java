package io.ledgerline.command.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The account's side of a transfer, sent by the transfer process. Each is idempotent per transfer
 * id, and answers a refusal with an event, never an exception, so a redelivered step neither moves
 * money twice nor fails the process.
 */
public final class TransferStepCommands {

  private TransferStepCommands() {}

  /** Pay out a transfer's amount from the source account, or refuse with a reason. */
  public record DebitForTransfer(
      @TargetAggregateIdentifier String accountId,
      String transferId,
      long amountMinor,
      String currency,
      String toAccountId) {}

  /** Receive a transfer's amount into the destination account, or refuse with a reason. */
  public record CreditForTransfer(
      @TargetAggregateIdentifier String accountId,
      String transferId,
      long amountMinor,
      String currency,
      String fromAccountId) {}

  /** Pay a debited transfer's amount back to the source account. */
  public record ReverseTransferDebit(
      @TargetAggregateIdentifier String accountId,
      String transferId,
      long amountMinor,
      String reason) {}
}
