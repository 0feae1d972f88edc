package io.ledgerline.query.topup;

import static io.ledgerline.query.projection.LedgerEvents.event;
import static io.ledgerline.query.projection.LedgerEvents.storedAt;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.TopUpFailed;
import io.ledgerline.events.TopUpIntentCreated;
import io.ledgerline.events.TopUpRequested;
import io.ledgerline.events.TopUpSucceeded;
import io.ledgerline.query.projection.LedgerEventRecord;
import io.ledgerline.query.projection.ProjectionTracing;
import io.ledgerline.query.projection.VersionedDocumentProjector.Fold;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopUpProjectorTest {

  // No client: folding events into top-ups reads and writes nothing.
  private final TopUpProjector testSubject = new TopUpProjector(null, ProjectionTracing.NONE);

  private static final LedgerEventRecord REQUESTED =
      event("u-1", 0, new TopUpRequested("u-1", "a-1", 5_000, "EUR"));
  private static final LedgerEventRecord INTENT =
      event("u-1", 1, new TopUpIntentCreated("u-1", "pi_1"));
  private static final LedgerEventRecord DECLINED =
      event("u-1", 2, new TopUpFailed("u-1", "pi_1", "insufficient_funds"));
  private static final LedgerEventRecord SUCCEEDED =
      event("u-1", 2, new TopUpSucceeded("u-1", "pi_1", "a-1", 5_000, "EUR"));

  @Test
  void aRequestedTopUpWaitsForItsIntent() {
    assertThat(only(testSubject.fold(Map.of(), List.of(REQUESTED))))
        .isEqualTo(
            new TopUpDocument(
                "u-1",
                "a-1",
                5_000,
                "EUR",
                "REQUESTED",
                null,
                null,
                storedAt(0),
                storedAt(0),
                0,
                100));
  }

  @Test
  void aTopUpAwaitsPaymentOnceItsIntentExistsThenSucceeds() {
    TopUpDocument awaiting = only(testSubject.fold(Map.of(), List.of(REQUESTED, INTENT)));
    assertThat(awaiting.status()).isEqualTo("AWAITING_PAYMENT");
    assertThat(awaiting.intentId()).isEqualTo("pi_1");

    TopUpDocument paid = only(testSubject.fold(Map.of(), List.of(REQUESTED, INTENT, SUCCEEDED)));
    assertThat(paid.status()).isEqualTo("SUCCEEDED");
    assertThat(paid.failureCode()).isNull();
    assertThat(paid.requestedAt()).isEqualTo(storedAt(0));
    assertThat(paid.updatedAt()).isEqualTo(storedAt(2));
    assertThat(paid.version()).isEqualTo(2);
    assertThat(paid.lastGlobalPosition()).isEqualTo(102);
  }

  @Test
  void aDeclinedTopUpSaysWhyAndMayStillSucceed() {
    TopUpDocument declined = only(testSubject.fold(Map.of(), List.of(REQUESTED, INTENT, DECLINED)));
    assertThat(declined.status()).isEqualTo("FAILED");
    assertThat(declined.failureCode()).isEqualTo("insufficient_funds");

    TopUpDocument paid =
        only(
            testSubject.fold(
                Map.of("u-1", declined),
                List.of(event("u-1", 3, new TopUpSucceeded("u-1", "pi_1", "a-1", 5_000, "EUR")))));
    assertThat(paid.status()).isEqualTo("SUCCEEDED");
    assertThat(paid.failureCode()).isNull();
  }

  @Test
  void aRedeliveryLeavesTheTopUpAsItIs() {
    TopUpDocument paid = only(testSubject.fold(Map.of(), List.of(REQUESTED, INTENT, SUCCEEDED)));

    assertThat(
            testSubject.fold(Map.of("u-1", paid), List.of(REQUESTED, INTENT, SUCCEEDED)).changed())
        .isEmpty();
  }

  @Test
  void anOutcomeBeforeItsRequestWaitsForIt() {
    Fold<TopUpDocument> early = testSubject.fold(Map.of(), List.of(SUCCEEDED));

    assertThat(early.changed()).isEmpty();
    assertThat(early.gap()).hasMessage("u-1 expects event 0 but received 2");
  }

  @Test
  void projectsTopUpEventsOnlyNotTheirDeposits() {
    assertThat(testSubject.handles(REQUESTED.event())).isTrue();
    assertThat(testSubject.handles(SUCCEEDED.event())).isTrue();
    assertThat(testSubject.handles(new FundsDeposited("a-1", 5_000, "EUR", 5_000, null, "u-1")))
        .isFalse();
  }

  private static TopUpDocument only(Fold<TopUpDocument> fold) {
    assertThat(fold.result().failure()).isNull();
    assertThat(fold.gap()).isNull();
    assertThat(fold.changed()).containsOnlyKeys("u-1");
    return fold.changed().get("u-1");
  }
}
