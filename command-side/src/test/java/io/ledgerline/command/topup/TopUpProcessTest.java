package io.ledgerline.command.topup;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.command.account.TopUpStepCommands.DepositForTopUp;
import io.ledgerline.events.TopUpSucceeded;
import java.util.List;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.test.utils.RecordingCommandBus;
import org.junit.jupiter.api.Test;

/** A succeeded top-up leads to exactly its deposit, using Axon's recording bus. */
class TopUpProcessTest {

  private final RecordingCommandBus commandBus = new RecordingCommandBus();
  private final TopUpProcess testSubject =
      new TopUpProcess(DefaultCommandGateway.builder().commandBus(commandBus).build());

  @Test
  void aSucceededTopUpIsDepositedIntoItsAccount() {
    testSubject.on(new TopUpSucceeded("u-1", "pi_1", "acc-1", 5_000, "EUR"));

    List<Object> sent =
        commandBus.getDispatchedCommands().stream()
            .map(command -> (Object) command.getPayload())
            .toList();
    assertThat(sent).containsExactly(new DepositForTopUp("acc-1", "u-1", 5_000, "EUR"));
  }
}
