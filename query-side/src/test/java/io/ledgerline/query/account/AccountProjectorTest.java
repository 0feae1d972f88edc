package io.ledgerline.query.account;

import static io.ledgerline.query.projection.LedgerEvents.event;
import static io.ledgerline.query.projection.LedgerEvents.storedAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerline.events.AccountClosed;
import io.ledgerline.events.AccountFrozen;
import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.AccountUnfrozen;
import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.FundsWithdrawn;
import io.ledgerline.events.TransferCompleted;
import io.ledgerline.events.TransferCreditRefused;
import io.ledgerline.events.TransferCredited;
import io.ledgerline.events.TransferDebitRefused;
import io.ledgerline.events.TransferDebitReversed;
import io.ledgerline.events.TransferDebited;
import io.ledgerline.events.TransferRequested;
import io.ledgerline.query.projection.LedgerEventRecord;
import io.ledgerline.query.projection.ProjectionTracing;
import io.ledgerline.query.projection.VersionedDocumentProjector.Fold;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountProjectorTest {

  // No client: folding events into accounts reads and writes nothing.
  private final AccountProjector testSubject = new AccountProjector(null, ProjectionTracing.NONE);

  private static final LedgerEventRecord OPENED =
      event("a-1", 0, new AccountOpened("a-1", "alice", "EUR", 500));
  private static final LedgerEventRecord DEPOSITED =
      event("a-1", 1, new FundsDeposited("a-1", 1_000, "EUR", 1_000, "salary"));
  private static final LedgerEventRecord WITHDRAWN =
      event("a-1", 2, new FundsWithdrawn("a-1", 300, "EUR", 700, "rent"));

  @Test
  void anOpenedAccountHasNoMoneyYet() {
    AccountDocument account = only(testSubject.fold(Map.of(), List.of(OPENED)));

    assertThat(account)
        .isEqualTo(
            new AccountDocument(
                "a-1", "alice", "EUR", 0, 500, "OPEN", 0, storedAt(0), storedAt(0), 100));
  }

  @Test
  void depositsAndWithdrawalsMoveTheBalance() {
    AccountDocument account =
        only(testSubject.fold(Map.of(), List.of(OPENED, DEPOSITED, WITHDRAWN)));

    assertThat(account.balance()).isEqualTo(700);
    assertThat(account.version()).isEqualTo(2);
    assertThat(account.openedAt()).isEqualTo(storedAt(0));
    assertThat(account.updatedAt()).isEqualTo(storedAt(2));
    assertThat(account.lastGlobalPosition()).isEqualTo(102);
  }

  @Test
  void transfersMoveTheBalanceAndRefusalsOnlyTheVersion() {
    AccountDocument account =
        only(
            testSubject.fold(
                Map.of(),
                List.of(
                    OPENED,
                    DEPOSITED,
                    event("a-1", 2, new TransferDebited("a-1", "t-1", 200, "EUR", 800, "a-2")),
                    event(
                        "a-1", 3, new TransferDebitReversed("a-1", "t-1", 200, "EUR", 1_000, "no")),
                    event("a-1", 4, new TransferCredited("a-1", "t-2", 50, "EUR", 1_050, "a-3")),
                    event("a-1", 5, new TransferDebitRefused("a-1", "t-3", "insufficient")),
                    event("a-1", 6, new TransferCreditRefused("a-1", "t-4", 9, "a-4", "closed")))));

    assertThat(account.balance()).isEqualTo(1_050);
    assertThat(account.version()).isEqualTo(6);
    assertThat(account.updatedAt()).isEqualTo(storedAt(6));
  }

  @Test
  void freezingUnfreezingAndClosingSetTheStatusAndKeepTheBalance() {
    Map<String, AccountDocument> stored =
        testSubject.fold(Map.of(), List.of(OPENED, DEPOSITED)).changed();

    AccountDocument frozen =
        only(
            testSubject.fold(
                stored, List.of(event("a-1", 2, new AccountFrozen("a-1", "audit", "admin")))));
    assertThat(frozen.status()).isEqualTo("FROZEN");
    assertThat(frozen.balance()).isEqualTo(1_000);

    AccountDocument unfrozen =
        only(
            testSubject.fold(
                Map.of("a-1", frozen), List.of(event("a-1", 3, new AccountUnfrozen("a-1", "ok")))));
    assertThat(unfrozen.status()).isEqualTo("OPEN");

    AccountDocument closed =
        only(
            testSubject.fold(
                Map.of("a-1", unfrozen),
                List.of(event("a-1", 4, new AccountClosed("a-1", "bye")))));
    assertThat(closed.status()).isEqualTo("CLOSED");
    assertThat(closed.balance()).isEqualTo(1_000);
    assertThat(closed.version()).isEqualTo(4);
  }

  @Test
  void aRedeliveredDepositIsNotCountedTwice() {
    AccountDocument once = only(testSubject.fold(Map.of(), List.of(OPENED, DEPOSITED)));

    Fold<AccountDocument> replay =
        testSubject.fold(Map.of("a-1", once), List.of(OPENED, DEPOSITED));
    Fold<AccountDocument> twiceInOneBatch =
        testSubject.fold(Map.of(), List.of(OPENED, DEPOSITED, DEPOSITED));

    assertThat(replay.changed()).isEmpty();
    assertThat(only(twiceInOneBatch)).isEqualTo(once);
    assertThat(once.balance()).isEqualTo(1_000);
  }

  @Test
  void anOlderEventArrivingLateDoesNotRegressTheAccount() {
    AccountDocument current =
        only(testSubject.fold(Map.of(), List.of(OPENED, DEPOSITED, WITHDRAWN)));

    Fold<AccountDocument> late = testSubject.fold(Map.of("a-1", current), List.of(DEPOSITED));

    assertThat(late.changed()).isEmpty();
    assertThat(late.gap()).isNull();
  }

  @Test
  void aDepositAheadOfItsPredecessorWaitsForIt() {
    AccountDocument opened = only(testSubject.fold(Map.of(), List.of(OPENED)));

    Fold<AccountDocument> early = testSubject.fold(Map.of("a-1", opened), List.of(WITHDRAWN));

    assertThat(early.changed()).isEmpty();
    assertThat(early.gap()).hasMessage("a-1 expects event 1 but received 2");
  }

  @Test
  void aHistoryWithoutItsOpeningCannotBeApplied() {
    Fold<AccountDocument> fold =
        testSubject.fold(
            Map.of(), List.of(event("a-9", 0, new FundsDeposited("a-9", 1, "EUR", 1, "r"))));

    assertThat(fold.changed()).isEmpty();
    assertThat(fold.result().failedAt()).isZero();
    assertThat(fold.result().failure()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void projectsAccountEventsOnly() {
    assertThat(testSubject.handles(OPENED.event())).isTrue();
    assertThat(testSubject.handles(new TransferDebitRefused("a-1", "t-1", "x"))).isTrue();
    assertThat(testSubject.handles(new TransferRequested("t-1", "a-1", "a-2", 1, "EUR", "r")))
        .isFalse();
    AccountDocument opened = only(testSubject.fold(Map.of(), List.of(OPENED)));
    assertThatThrownBy(
            () -> AccountDocument.apply(opened, event("a-1", 1, new TransferCompleted("t-1"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static AccountDocument only(Fold<AccountDocument> fold) {
    assertThat(fold.result().failure()).isNull();
    assertThat(fold.gap()).isNull();
    assertThat(fold.changed()).containsOnlyKeys("a-1");
    return fold.changed().get("a-1");
  }
}
