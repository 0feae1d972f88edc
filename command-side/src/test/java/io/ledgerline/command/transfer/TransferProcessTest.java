package io.ledgerline.command.transfer;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Set;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.test.utils.RecordingCommandBus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each event of a transfer leads to exactly the next step, using Axon's recording bus. */
class TransferProcessTest {

  private RecordingCommandBus commandBus;
  private TransferProcess testSubject;

  @BeforeEach
  void setUp() {
    commandBus = new RecordingCommandBus();
    Set<String> existing = Set.of("from", "to");
    testSubject =
        new TransferProcess(
            DefaultCommandGateway.builder().commandBus(commandBus).build(), existing::contains);
  }

  @Test
  void aRequestedTransferDebitsTheSource() {
    testSubject.on(new TransferRequested("t-1", "from", "to", 100, "EUR", null));
    assertThat(sent()).containsExactly(new DebitForTransfer("from", "t-1", 100, "EUR", "to"));
  }

  @Test
  void aRefusedDebitFailsTheTransfer() {
    testSubject.on(new TransferDebitRefused("from", "t-1", "insufficient funds"));
    assertThat(sent()).containsExactly(new FailTransfer("t-1", "insufficient funds"));
  }

  @Test
  void aDebitCreditsTheDestination() {
    testSubject.on(new TransferDebited("from", "t-1", 100, "EUR", 0, "to"));
    assertThat(sent()).containsExactly(new CreditForTransfer("to", "t-1", 100, "EUR", "from"));
  }

  @Test
  void aDebitToAMissingDestinationIsReversed() {
    testSubject.on(new TransferDebited("from", "t-1", 100, "EUR", 0, "ghost"));
    assertThat(sent())
        .containsExactly(
            new ReverseTransferDebit("from", "t-1", 100, "destination account does not exist"));
  }

  @Test
  void aRefusedCreditReversesTheDebit() {
    testSubject.on(
        new TransferCreditRefused("to", "t-1", 100, "from", "destination account is frozen"));
    assertThat(sent())
        .containsExactly(
            new ReverseTransferDebit("from", "t-1", 100, "destination account is frozen"));
  }

  @Test
  void aCreditCompletesTheTransfer() {
    testSubject.on(new TransferCredited("to", "t-1", 100, "EUR", 100, "from"));
    assertThat(sent()).containsExactly(new CompleteTransfer("t-1"));
  }

  @Test
  void aReversalFailsTheTransferWithTheCreditsReason() {
    testSubject.on(new TransferDebitReversed("from", "t-1", 100, "EUR", 100, "frozen"));
    assertThat(sent()).containsExactly(new FailTransfer("t-1", "frozen"));
  }

  private List<Object> sent() {
    return commandBus.getDispatchedCommands().stream()
        .map(CommandMessage::getPayload)
        .map(Object.class::cast)
        .toList();
  }
}
