package io.ledgerline.query.transfer;

import static io.ledgerline.query.projection.LedgerEvents.event;
import static io.ledgerline.query.projection.LedgerEvents.storedAt;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.TransferCompleted;
import io.ledgerline.events.TransferFailed;
import io.ledgerline.events.TransferRequested;
import io.ledgerline.query.projection.LedgerEventRecord;
import io.ledgerline.query.projection.ProjectionTracing;
import io.ledgerline.query.projection.VersionedDocumentProjector.Fold;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransferProjectorTest {

  // No client: folding events into transfers reads and writes nothing.
  private final TransferProjector testSubject = new TransferProjector(null, ProjectionTracing.NONE);

  private static final LedgerEventRecord REQUESTED =
      event("t-1", 0, new TransferRequested("t-1", "a-1", "a-2", 250, "EUR", "invoice 7"));
  private static final LedgerEventRecord COMPLETED = event("t-1", 1, new TransferCompleted("t-1"));
  private static final LedgerEventRecord FAILED =
      event("t-1", 1, new TransferFailed("t-1", "insufficient funds", "INSUFFICIENT_FUNDS"));

  @Test
  void aRequestedTransferIsPending() {
    TransferDocument transfer = only(testSubject.fold(Map.of(), List.of(REQUESTED)));

    assertThat(transfer)
        .isEqualTo(
            new TransferDocument(
                "t-1",
                "a-1",
                "a-2",
                250,
                "EUR",
                "invoice 7",
                "REQUESTED",
                null,
                storedAt(0),
                storedAt(0),
                0,
                100));
  }

  @Test
  void aCompletedTransferKeepsWhatWasRequested() {
    TransferDocument transfer = only(testSubject.fold(Map.of(), List.of(REQUESTED, COMPLETED)));

    assertThat(transfer.status()).isEqualTo("COMPLETED");
    assertThat(transfer.reason()).isNull();
    assertThat(transfer.amount()).isEqualTo(250);
    assertThat(transfer.reference()).isEqualTo("invoice 7");
    assertThat(transfer.requestedAt()).isEqualTo(storedAt(0));
    assertThat(transfer.updatedAt()).isEqualTo(storedAt(1));
    assertThat(transfer.version()).isEqualTo(1);
    assertThat(transfer.lastGlobalPosition()).isEqualTo(101);
  }

  @Test
  void aFailedTransferSaysWhy() {
    TransferDocument transfer = only(testSubject.fold(Map.of(), List.of(REQUESTED, FAILED)));

    assertThat(transfer.status()).isEqualTo("FAILED");
    assertThat(transfer.reason()).isEqualTo("insufficient funds");
  }

  @Test
  void aRedeliveryLeavesTheTransferAsItIs() {
    TransferDocument completed = only(testSubject.fold(Map.of(), List.of(REQUESTED, COMPLETED)));

    Fold<TransferDocument> replay =
        testSubject.fold(Map.of("t-1", completed), List.of(REQUESTED, COMPLETED));

    assertThat(replay.changed()).isEmpty();
    assertThat(only(testSubject.fold(Map.of(), List.of(REQUESTED, COMPLETED, COMPLETED))))
        .isEqualTo(completed);
  }

  @Test
  void aLateRequestDoesNotReopenAFinishedTransfer() {
    TransferDocument failed = only(testSubject.fold(Map.of(), List.of(REQUESTED, FAILED)));

    Fold<TransferDocument> late = testSubject.fold(Map.of("t-1", failed), List.of(REQUESTED));

    assertThat(late.changed()).isEmpty();
    assertThat(late.gap()).isNull();
  }

  @Test
  void anOutcomeBeforeItsRequestWaitsForIt() {
    Fold<TransferDocument> early = testSubject.fold(Map.of(), List.of(COMPLETED));

    assertThat(early.changed()).isEmpty();
    assertThat(early.gap()).hasMessage("t-1 expects event 0 but received 1");
  }

  @Test
  void projectsTransferEventsOnly() {
    assertThat(testSubject.handles(REQUESTED.event())).isTrue();
    assertThat(testSubject.handles(FAILED.event())).isTrue();
    assertThat(testSubject.handles(new FundsDeposited("a-1", 1, "EUR", 1, "r"))).isFalse();
  }

  private static TransferDocument only(Fold<TransferDocument> fold) {
    assertThat(fold.result().failure()).isNull();
    assertThat(fold.gap()).isNull();
    assertThat(fold.changed()).containsOnlyKeys("t-1");
    return fold.changed().get("t-1");
  }
}
