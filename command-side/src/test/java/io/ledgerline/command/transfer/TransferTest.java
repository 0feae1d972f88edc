package io.ledgerline.command.transfer;

import static io.ledgerline.command.personaldata.SealedTexts.sealed;

import io.ledgerline.command.transfer.TransferCommands.CompleteTransfer;
import io.ledgerline.command.transfer.TransferCommands.FailTransfer;
import io.ledgerline.command.transfer.TransferCommands.RequestTransfer;
import io.ledgerline.events.TransferCompleted;
import io.ledgerline.events.TransferFailed;
import io.ledgerline.events.TransferRequested;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransferTest {

  private static final String RENT = sealed("rent");
  private static final TransferRequested REQUESTED =
      new TransferRequested("t-1", "a", "b", 100, "EUR", RENT);

  private AggregateTestFixture<Transfer> fixture;

  @BeforeEach
  void setUp() {
    fixture = new AggregateTestFixture<>(Transfer.class);
  }

  @Test
  void canRequestATransfer() {
    fixture
        .givenNoPriorActivity()
        .when(new RequestTransfer("t-1", "a", "b", 100, "EUR", RENT))
        .expectEvents(REQUESTED);
  }

  @Test
  void cannotStoreAReferenceInClear() {
    fixture
        .givenNoPriorActivity()
        .when(new RequestTransfer("t-1", "a", "b", 100, "EUR", "rent"))
        .expectException(IllegalArgumentException.class)
        .expectNoEvents();
  }

  @Test
  void canCompleteOrFailARequestedTransfer() {
    fixture
        .given(REQUESTED)
        .when(new CompleteTransfer("t-1"))
        .expectEvents(new TransferCompleted("t-1"));
    fixture
        .given(REQUESTED)
        .when(new FailTransfer("t-1", "insufficient funds"))
        .expectEvents(new TransferFailed("t-1", "insufficient funds", "INSUFFICIENT_FUNDS"));
  }

  @Test
  void cannotChangeTheOutcomeOfAFinishedTransfer() {
    fixture
        .given(REQUESTED, new TransferCompleted("t-1"))
        .when(new FailTransfer("t-1", "late"))
        .expectSuccessfulHandlerExecution()
        .expectNoEvents();
    fixture
        .given(REQUESTED, new TransferFailed("t-1", "x", "OTHER"))
        .when(new CompleteTransfer("t-1"))
        .expectNoEvents();
  }
}
