package io.ledgerline.command.topup;

import io.ledgerline.command.topup.TopUpCommands.FailTopUp;
import io.ledgerline.command.topup.TopUpCommands.RecordTopUpIntent;
import io.ledgerline.command.topup.TopUpCommands.RequestTopUp;
import io.ledgerline.command.topup.TopUpCommands.SucceedTopUp;
import io.ledgerline.events.TopUpFailed;
import io.ledgerline.events.TopUpIntentCreated;
import io.ledgerline.events.TopUpRequested;
import io.ledgerline.events.TopUpSucceeded;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A top-up succeeds once, whatever the gateway repeats or reorders. */
class TopUpTest {

  private static final String ID = "5c0e1b7a-3d2f-4e8a-9b6c-1d2e3f4a5b6c";
  private static final TopUpRequested REQUESTED = new TopUpRequested(ID, "acc-1", 5_000, "EUR");
  private static final TopUpIntentCreated INTENT = new TopUpIntentCreated(ID, "pi_1");
  private static final TopUpSucceeded SUCCEEDED =
      new TopUpSucceeded(ID, "pi_1", "acc-1", 5_000, "EUR");
  private static final TopUpFailed DECLINED = new TopUpFailed(ID, "pi_1", "insufficient_funds");

  private AggregateTestFixture<TopUp> fixture;

  @BeforeEach
  void setUp() {
    fixture = new AggregateTestFixture<>(TopUp.class);
  }

  @Test
  void canRequestATopUp() {
    fixture
        .givenNoPriorActivity()
        .when(new RequestTopUp(ID, "acc-1", 5_000, "EUR"))
        .expectEvents(REQUESTED);
  }

  @Test
  void cannotRequestATopUpOfNothingOrInANonIsoCurrency() {
    fixture
        .givenNoPriorActivity()
        .when(new RequestTopUp(ID, "acc-1", 0, "EUR"))
        .expectException(IllegalArgumentException.class)
        .expectNoEvents();
    fixture
        .givenNoPriorActivity()
        .when(new RequestTopUp(ID, "acc-1", 100, "eur"))
        .expectException(IllegalArgumentException.class)
        .expectNoEvents();
  }

  @Test
  void canRecordItsIntentOnceAndAwaitPayment() {
    fixture
        .given(REQUESTED)
        .when(new RecordTopUpIntent(ID, "pi_1"))
        .expectEvents(INTENT)
        .expectResultMessagePayload(TopUpStatus.AWAITING_PAYMENT);
    fixture
        .given(REQUESTED, INTENT)
        .when(new RecordTopUpIntent(ID, "pi_1"))
        .expectNoEvents()
        .expectResultMessagePayload(TopUpStatus.AWAITING_PAYMENT);
  }

  @Test
  void cannotTakeASecondIntent() {
    fixture
        .given(REQUESTED, INTENT)
        .when(new RecordTopUpIntent(ID, "pi_2"))
        .expectException(IllegalStateException.class)
        .expectNoEvents();
  }

  @Test
  void anIntentRecordedAfterTheGatewayReportedItsOutcomeChangesNothing() {
    fixture
        .given(REQUESTED, SUCCEEDED)
        .when(new RecordTopUpIntent(ID, "pi_1"))
        .expectNoEvents()
        .expectResultMessagePayload(TopUpStatus.SUCCEEDED);
  }

  @Test
  void canSucceedWhenTheGatewayReportsItsIntentPaid() {
    fixture
        .given(REQUESTED, INTENT)
        .when(new SucceedTopUp(ID, "pi_1", "acc-1", 5_000, "EUR"))
        .expectEvents(SUCCEEDED)
        .expectResultMessagePayload(TopUpOutcome.RECORDED);
  }

  @Test
  void canSucceedBeforeItsIntentWasRecorded() {
    fixture
        .given(REQUESTED)
        .when(new SucceedTopUp(ID, "pi_1", null, 5_000, "EUR"))
        .expectEvents(SUCCEEDED);
  }

  @Test
  void cannotSucceedTwice() {
    fixture
        .given(REQUESTED, INTENT, SUCCEEDED)
        .when(new SucceedTopUp(ID, "pi_1", "acc-1", 5_000, "EUR"))
        .expectSuccessfulHandlerExecution()
        .expectNoEvents()
        .expectResultMessagePayload(TopUpOutcome.UNCHANGED);
  }

  @Test
  void cannotFailOnceSucceeded() {
    fixture
        .given(REQUESTED, INTENT, SUCCEEDED)
        .when(new FailTopUp(ID, "pi_1", "generic_decline"))
        .expectNoEvents()
        .expectResultMessagePayload(TopUpOutcome.UNCHANGED);
  }

  @Test
  void canFailWhenTheCardIsDeclinedButOnlyOnce() {
    fixture
        .given(REQUESTED, INTENT)
        .when(new FailTopUp(ID, "pi_1", "insufficient_funds"))
        .expectEvents(DECLINED)
        .expectResultMessagePayload(TopUpOutcome.RECORDED);
    fixture
        .given(REQUESTED, INTENT, DECLINED)
        .when(new FailTopUp(ID, "pi_1", "expired_card"))
        .expectNoEvents()
        .expectResultMessagePayload(TopUpOutcome.UNCHANGED);
  }

  @Test
  void canStillSucceedAfterAFailureSinceTheMoneyWasTaken() {
    fixture
        .given(REQUESTED, INTENT, DECLINED)
        .when(new SucceedTopUp(ID, "pi_1", "acc-1", 5_000, "EUR"))
        .expectEvents(SUCCEEDED)
        .expectResultMessagePayload(TopUpOutcome.RECORDED);
  }

  @Test
  void cannotSucceedWithAnotherIntentAmountCurrencyOrAccount() {
    for (SucceedTopUp report :
        new SucceedTopUp[] {
          new SucceedTopUp(ID, "pi_2", "acc-1", 5_000, "EUR"),
          new SucceedTopUp(ID, "pi_1", "acc-1", 4_999, "EUR"),
          new SucceedTopUp(ID, "pi_1", "acc-1", 5_000, "USD"),
          new SucceedTopUp(ID, "pi_1", "acc-2", 5_000, "EUR")
        }) {
      fixture
          .given(REQUESTED, INTENT)
          .when(report)
          .expectNoEvents()
          .expectResultMessagePayload(TopUpOutcome.MISMATCH);
    }
  }

  @Test
  void cannotFailWithAnotherIntent() {
    fixture
        .given(REQUESTED, INTENT)
        .when(new FailTopUp(ID, "pi_2", "generic_decline"))
        .expectNoEvents()
        .expectResultMessagePayload(TopUpOutcome.MISMATCH);
  }

  @Test
  void failsWithoutAnIntentWhenTheGatewayRefusedToCreateOne() {
    fixture
        .given(REQUESTED)
        .when(new FailTopUp(ID, null, TopUpFailed.INTENT_REFUSED))
        .expectEvents(new TopUpFailed(ID, null, TopUpFailed.INTENT_REFUSED));
    fixture
        .given(REQUESTED, INTENT)
        .when(new FailTopUp(ID, null, TopUpFailed.INTENT_REFUSED))
        .expectNoEvents()
        .expectResultMessagePayload(TopUpOutcome.MISMATCH);
  }

  @Test
  void aFailureWithoutACodeIsAFailedPayment() {
    fixture
        .given(REQUESTED, INTENT)
        .when(new FailTopUp(ID, "pi_1", null))
        .expectEvents(new TopUpFailed(ID, "pi_1", TopUpFailed.PAYMENT_FAILED));
  }
}
