package io.ledgerline.command.topup;

import io.ledgerline.command.account.TopUpStepCommands.DepositForTopUp;
import io.ledgerline.events.TopUpSucceeded;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * The top-up's last step: once the gateway's success is recorded ({@link TopUpSucceeded}), deposit
 * the amount into the account.
 *
 * <p>A tracking processor, like the transfer process: it reads the event store and sends the
 * deposit inside the transaction that advances its position, so a crash between the success and the
 * deposit loses nothing (the processor resumes at the success) and doubles nothing (the account
 * credits each top-up id once). The webhook's answer therefore never waits for, or fails with, the
 * account. A deposit the account refuses (closed) is parked as a dead letter of {@value
 * #PROCESSOR}, sequenced per top-up, and the top-up reads as stuck until an operator acts.
 */
@Component
@ProcessingGroup(TopUpProcess.PROCESSOR)
class TopUpProcess {

  static final String PROCESSOR = "top-up-process";

  private final CommandGateway commands;

  TopUpProcess(CommandGateway commands) {
    this.commands = commands;
  }

  @EventHandler
  void on(TopUpSucceeded event) {
    commands.sendAndWait(
        new DepositForTopUp(
            event.accountId(), event.topUpId(), event.amountMinor(), event.currency()));
  }
}
