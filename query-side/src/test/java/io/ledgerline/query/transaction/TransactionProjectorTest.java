package io.ledgerline.query.transaction;

import static io.ledgerline.query.projection.LedgerEvents.event;
import static io.ledgerline.query.projection.LedgerEvents.storedAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import io.ledgerline.events.AccountClosed;
import io.ledgerline.events.AccountFrozen;
import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.AccountUnfrozen;
import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.FundsWithdrawn;
import io.ledgerline.events.TransferCreditRefused;
import io.ledgerline.events.TransferCredited;
import io.ledgerline.events.TransferDebitRefused;
import io.ledgerline.events.TransferDebitReversed;
import io.ledgerline.events.TransferDebited;
import io.ledgerline.events.TransferRequested;
import io.ledgerline.query.projection.LedgerEventRecord;
import io.ledgerline.query.projection.ProjectionTracing;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionProjectorTest {

  private static final LedgerEventRecord DEPOSITED =
      event("a-1", 1, new FundsDeposited("a-1", 1_000, "EUR", 1_000, "salary"));
  private static final LedgerEventRecord WITHDRAWN =
      event("a-1", 2, new FundsWithdrawn("a-1", 300, "EUR", 700, "rent"));

  // No client: turning events into movements reads and writes nothing.
  private final TransactionProjector testSubject =
      new TransactionProjector(null, ProjectionTracing.NONE);

  @Test
  void aDepositIsAMovementIn() {
    assertThat(TransactionDocument.of(DEPOSITED))
        .contains(
            new TransactionDocument(
                "a-1:1",
                "a-1",
                "DEPOSIT",
                1_000,
                1_000,
                "EUR",
                1_000,
                null,
                null,
                "salary",
                storedAt(1),
                1,
                101));
  }

  @Test
  void aWithdrawalIsAMovementOut() {
    TransactionDocument withdrawal = TransactionDocument.of(WITHDRAWN).orElseThrow();

    assertThat(withdrawal.type()).isEqualTo("WITHDRAWAL");
    assertThat(withdrawal.amount()).isEqualTo(300);
    assertThat(withdrawal.signedAmount()).isEqualTo(-300);
    assertThat(withdrawal.balanceAfter()).isEqualTo(700);
    assertThat(withdrawal.reference()).isEqualTo("rent");
  }

  @Test
  void transferStepsNameTheTransferAndTheOtherAccount() {
    TransactionDocument debit =
        TransactionDocument.of(
                event("a-1", 3, new TransferDebited("a-1", "t-1", 200, "EUR", 500, "a-2")))
            .orElseThrow();
    TransactionDocument credit =
        TransactionDocument.of(
                event("a-2", 5, new TransferCredited("a-2", "t-1", 200, "EUR", 900, "a-1")))
            .orElseThrow();
    TransactionDocument reversal =
        TransactionDocument.of(
                event(
                    "a-1",
                    4,
                    new TransferDebitReversed("a-1", "t-1", 200, "EUR", 700, "account closed")))
            .orElseThrow();

    assertThat(debit)
        .extracting(
            TransactionDocument::type,
            TransactionDocument::signedAmount,
            TransactionDocument::transferId,
            TransactionDocument::counterpartyAccountId)
        .containsExactly("TRANSFER_DEBIT", -200L, "t-1", "a-2");
    assertThat(credit)
        .extracting(
            TransactionDocument::type,
            TransactionDocument::signedAmount,
            TransactionDocument::transferId,
            TransactionDocument::counterpartyAccountId)
        .containsExactly("TRANSFER_CREDIT", 200L, "t-1", "a-1");
    assertThat(reversal)
        .extracting(
            TransactionDocument::type,
            TransactionDocument::signedAmount,
            TransactionDocument::reference,
            TransactionDocument::balanceAfter)
        .containsExactly("REVERSAL", 200L, "account closed", 700L);
  }

  @Test
  void eventsThatMoveNoMoneyAreNoMovements() {
    List<LedgerEventRecord> noMoney =
        List.of(
            event("a-1", 0, new AccountOpened("a-1", "alice", "EUR", 0)),
            event("a-1", 3, new AccountFrozen("a-1", "audit", "admin")),
            event("a-1", 4, new AccountUnfrozen("a-1", "ok")),
            event("a-1", 5, new TransferDebitRefused("a-1", "t-2", "insufficient")),
            event("a-1", 6, new TransferCreditRefused("a-1", "t-3", 5, "a-9", "closed")),
            event("a-1", 7, new AccountClosed("a-1", "bye")));

    assertThat(noMoney).allSatisfy(e -> assertThat(TransactionDocument.of(e)).isEmpty());
    assertThat(TransactionProjector.operations("transactions", noMoney)).isEmpty();
  }

  @Test
  void theFeedDecodesExactlyTheTypesThatRecordMovements() {
    List<LedgerEventRecord> movements =
        List.of(
            DEPOSITED,
            WITHDRAWN,
            event("a-1", 3, new TransferDebited("a-1", "t-1", 200, "EUR", 500, "a-2")),
            event("a-2", 5, new TransferCredited("a-2", "t-1", 200, "EUR", 900, "a-1")),
            event("a-1", 4, new TransferDebitReversed("a-1", "t-1", 200, "EUR", 700, "x")));
    List<LedgerEventRecord> noMoney =
        List.of(
            event("a-1", 0, new AccountOpened("a-1", "alice", "EUR", 0)),
            event("a-1", 5, new TransferDebitRefused("a-1", "t-2", "insufficient")),
            event("a-1", 6, new TransferCreditRefused("a-1", "t-3", 5, "a-9", "closed")),
            event("t-1", 0, new TransferRequested("t-1", "a-1", "a-2", 200, "EUR", "r")));

    for (LedgerEventRecord movement : movements) {
      String type = movement.event().getClass().getSimpleName();
      assertThat(TransactionView.recordsAMovement(type)).as(type).isTrue();
      assertThat(TransactionDocument.of(movement)).as(type).isPresent();
    }
    for (LedgerEventRecord other : noMoney) {
      String type = other.event().getClass().getSimpleName();
      assertThat(TransactionView.recordsAMovement(type)).as(type).isFalse();
    }
  }

  @Test
  void eachMovementIsCreatedOnceUnderItsOwnId() {
    List<BulkOperation> operations =
        TransactionProjector.operations(
            "transactions",
            List.of(
                event("a-1", 0, new AccountOpened("a-1", "alice", "EUR", 0)),
                DEPOSITED,
                WITHDRAWN));

    // A create, never an overwrite: a second write of the same id is refused with a 409.
    assertThat(operations).allSatisfy(operation -> assertThat(operation.isCreate()).isTrue());
    assertThat(operations)
        .extracting(operation -> operation.create().index(), operation -> operation.create().id())
        .containsExactly(tuple("transactions", "a-1:1"), tuple("transactions", "a-1:2"));
    assertThat(operations.get(1).create().document())
        .isEqualTo(TransactionDocument.of(WITHDRAWN).orElseThrow());
  }

  @Test
  void aRedeliveryOrAReplayFromTheStoreCreatesTheSameMovementUnderTheSameId() {
    BulkOperation first =
        TransactionProjector.operations("transactions", List.of(DEPOSITED)).get(0);

    BulkOperation replayed =
        TransactionProjector.operations("transactions", List.of(DEPOSITED)).get(0);
    // Published again after a failed batch: the same event at a later offset.
    BulkOperation republished =
        TransactionProjector.operations(
                "transactions",
                List.of(deliveredAt(DEPOSITED, DEPOSITED.partition(), DEPOSITED.offset() + 50)))
            .get(0);
    // Replayed by a rebuild: read from the event store, with no Kafka position at all.
    BulkOperation rebuilt =
        TransactionProjector.operations(
                "transactions-rebuilt", List.of(deliveredAt(DEPOSITED, -1, -1)))
            .get(0);

    assertThat(replayed.create().id()).isEqualTo(first.create().id());
    assertThat(replayed.create().document()).isEqualTo(first.create().document());
    // Same id as a create: the first document stays, and it is the same document anyway.
    assertThat(republished.isCreate()).isTrue();
    assertThat(republished.create().id()).isEqualTo(first.create().id());
    assertThat(republished.create().document()).isEqualTo(first.create().document());
    assertThat(rebuilt.create().index()).isEqualTo("transactions-rebuilt");
    assertThat(rebuilt.create().id()).isEqualTo(first.create().id());
    assertThat(rebuilt.create().document()).isEqualTo(first.create().document());
  }

  @Test
  void anOlderMovementArrivingLateTouchesOnlyItsOwnDocument() {
    List<BulkOperation> late =
        TransactionProjector.operations("transactions", List.of(WITHDRAWN, DEPOSITED));

    assertThat(late)
        .extracting(operation -> operation.create().id())
        .containsExactly("a-1:2", "a-1:1");
    assertThat(late.get(1).create().document())
        .isEqualTo(TransactionDocument.of(DEPOSITED).orElseThrow());
  }

  @Test
  void aRejectedMovementIsTracedToItsEvent() {
    assertThat(testSubject.documentId(WITHDRAWN)).isEqualTo("a-1:2");
    assertThat(testSubject.documentId(event("a-1", 0, new AccountOpened("a-1", "alice", "EUR", 0))))
        .isEqualTo("a-1");
  }

  @Test
  void projectsAccountEventsOnly() {
    assertThat(testSubject.handles(DEPOSITED.event())).isTrue();
    assertThat(testSubject.handles(new TransferRequested("t-1", "a-1", "a-2", 1, "EUR", "r")))
        .isFalse();
  }

  /** The same event, delivered at another Kafka position (-1: read from the store). */
  private static LedgerEventRecord deliveredAt(
      LedgerEventRecord event, int partition, long offset) {
    return new LedgerEventRecord(
        event.eventId(),
        event.aggregateId(),
        event.sequence(),
        event.globalPosition(),
        event.timestamp(),
        event.event(),
        partition,
        offset);
  }
}
