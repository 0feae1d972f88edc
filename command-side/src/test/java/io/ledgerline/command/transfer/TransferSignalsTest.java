package io.ledgerline.command.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;

/** A status wait is woken by its transfer's decision, and only once that decision committed. */
class TransferSignalsTest {

  private final TransferSignals signals = new TransferSignals();

  @Test
  void aSignalWakesAWaitBeforeItsPauseEnds() throws Exception {
    try (TransferSignals.Subscription decision = signals.subscribe("t-1")) {
      CompletableFuture<Void> woken = awaitInBackground(decision);
      signals.signal("t-2");
      assertThat(woken).isNotDone();
      signals.signal("t-1");
      woken.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSignalBeforeTheWaitIsNotLost() throws Exception {
    try (TransferSignals.Subscription decision = signals.subscribe("t-1")) {
      signals.signal("t-1");
      awaitInBackground(decision).get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDecisionSignalsOnlyOnceItsUnitOfWorkHasCommitted() {
    try (TransferSignals.Subscription decision = signals.subscribe("t-1")) {
      UnitOfWork<?> rolledBack = DefaultUnitOfWork.startAndGet(new GenericMessage<>("step"));
      signals.signalAfterCommit("t-1");
      rolledBack.rollback();
      assertThat(signalled(decision)).as("after a rollback").isFalse();

      UnitOfWork<?> committed = DefaultUnitOfWork.startAndGet(new GenericMessage<>("step"));
      signals.signalAfterCommit("t-1");
      assertThat(signalled(decision)).as("before the commit").isFalse();
      committed.commit();
      assertThat(signalled(decision)).as("after the commit").isTrue();
    }
  }

  @Test
  void everyWaitForTheTransferIsSignalledAndTheLastToLeaveUnsubscribes() {
    TransferSignals.Subscription first = signals.subscribe("t-1");
    TransferSignals.Subscription second = signals.subscribe("t-1");
    signals.signal("t-1");
    assertThat(signalled(first)).isTrue();
    assertThat(signalled(second)).isTrue();
    first.close();
    assertThat(signals.waits("t-1")).isEqualTo(1);
    second.close();
    assertThat(signals.waits("t-1")).isZero();
  }

  /** A wait of ten minutes, in another thread: done only once a signal ended it. */
  private static CompletableFuture<Void> awaitInBackground(TransferSignals.Subscription decision) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            decision.await(TimeUnit.MINUTES.toMillis(10));
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static boolean signalled(TransferSignals.Subscription decision) {
    return decision.signalled();
  }
}
