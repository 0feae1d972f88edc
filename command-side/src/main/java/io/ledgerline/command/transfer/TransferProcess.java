package io.ledgerline.command.transfer;

import io.ledgerline.command.account.KnownAccounts;
import io.ledgerline.command.account.TransferStepCommands.CreditForTransfer;
import io.ledgerline.command.account.TransferStepCommands.DebitForTransfer;
import io.ledgerline.command.account.TransferStepCommands.ReverseTransferDebit;
import io.ledgerline.command.transfer.TransferCommands.CompleteTransfer;
import io.ledgerline.command.transfer.TransferCommands.FailTransfer;
import io.ledgerline.events.TransferCreditRefused;
import io.ledgerline.events.TransferCredited;
import io.ledgerline.events.TransferDebitRefused;
import io.ledgerline.events.TransferDebitReversed;
import io.ledgerline.events.TransferDebited;
import io.ledgerline.events.TransferRequested;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * The transfer saga as a process manager: request → debit source → credit destination → completed,
 * or → reverse the debit → failed.
 *
 * <p>It keeps no state of its own: each step's event carries what the next step needs. It reads the
 * event store through a tracking processor and sends each next command inside the same transaction
 * that advances its position, so after a crash it resumes where it stopped; every step is
 * idempotent per transfer id, so a redelivered event never moves money twice.
 */
@Component
@ProcessingGroup(TransferProcess.PROCESSOR)
class TransferProcess {

  static final String PROCESSOR = "transfer-process";

  private final CommandGateway commands;
  private final KnownAccounts accounts;

  TransferProcess(CommandGateway commands, KnownAccounts accounts) {
    this.commands = commands;
    this.accounts = accounts;
  }

  @EventHandler
  void on(TransferRequested event) {
    if (!accounts.exists(event.fromAccountId())) {
      // Checked when requested; kept here so no history can wedge the process on a missing source.
      commands.sendAndWait(new FailTransfer(event.transferId(), "source account does not exist"));
      return;
    }
    commands.sendAndWait(
        new DebitForTransfer(
            event.fromAccountId(),
            event.transferId(),
            event.amountMinor(),
            event.currency(),
            event.toAccountId()));
  }

  @EventHandler
  void on(TransferDebitRefused event) {
    commands.sendAndWait(new FailTransfer(event.transferId(), event.reason()));
  }

  @EventHandler
  void on(TransferDebited event) {
    if (!accounts.exists(event.toAccountId())) {
      commands.sendAndWait(
          new ReverseTransferDebit(
              event.accountId(),
              event.transferId(),
              event.amountMinor(),
              "destination account does not exist"));
      return;
    }
    commands.sendAndWait(
        new CreditForTransfer(
            event.toAccountId(),
            event.transferId(),
            event.amountMinor(),
            event.currency(),
            event.accountId()));
  }

  @EventHandler
  void on(TransferCreditRefused event) {
    commands.sendAndWait(
        new ReverseTransferDebit(
            event.fromAccountId(), event.transferId(), event.amountMinor(), event.reason()));
  }

  @EventHandler
  void on(TransferCredited event) {
    commands.sendAndWait(new CompleteTransfer(event.transferId()));
  }

  @EventHandler
  void on(TransferDebitReversed event) {
    commands.sendAndWait(new FailTransfer(event.transferId(), event.reason()));
  }
}
