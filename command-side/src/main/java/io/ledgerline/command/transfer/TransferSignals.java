package io.ledgerline.command.transfer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Wakes this instance's status waits ({@link TransferOutcomeWait}) as soon as the transfer they
 * wait for is decided here, once that decision has committed. The transfer process runs on one
 * instance at a time, so a wait on that instance is woken at once instead of re-reading the
 * transfer's row every few milliseconds; a wait on another instance still finds the decision by
 * re-reading, at its longest pause.
 */
@Component
class TransferSignals {

  private final ConcurrentHashMap<String, Set<Subscription>> waiting = new ConcurrentHashMap<>();

  /** One wait for one transfer. */
  static final class Subscription implements AutoCloseable {
    private final String transferId;
    private final TransferSignals signals;
    private boolean signalled; // guarded by this

    private Subscription(String transferId, TransferSignals signals) {
      this.transferId = transferId;
      this.signals = signals;
    }

    /** Until signalled since the last call, or {@code millis} have passed. */
    synchronized void await(long millis) throws InterruptedException {
      if (!signalled) {
        wait(millis);
      }
      signalled = false;
    }

    /** Whether a signal came since the last {@link #await}. */
    synchronized boolean signalled() {
      return signalled;
    }

    private synchronized void signal() {
      signalled = true;
      notifyAll();
    }

    @Override
    public void close() {
      signals.waiting.computeIfPresent(
          transferId,
          (id, subscriptions) -> {
            subscriptions.remove(this);
            return subscriptions.isEmpty() ? null : subscriptions;
          });
    }
  }

  /** Subscribes to {@code transferId}'s decision, before the wait reads it. */
  Subscription subscribe(String transferId) {
    Subscription subscription = new Subscription(transferId, this);
    waiting.compute(
        transferId,
        (id, subscriptions) -> {
          Set<Subscription> all =
              subscriptions == null ? ConcurrentHashMap.newKeySet() : subscriptions;
          all.add(subscription);
          return all;
        });
    return subscription;
  }

  /** How many waits are subscribed to {@code transferId}. */
  int waits(String transferId) {
    Set<Subscription> subscriptions = waiting.get(transferId);
    return subscriptions == null ? 0 : subscriptions.size();
  }

  /** Wakes the waits for {@code transferId} once the current unit of work has committed. */
  void signalAfterCommit(String transferId) {
    if (CurrentUnitOfWork.isStarted()) {
      CurrentUnitOfWork.get().afterCommit(committed -> signal(transferId));
    } else {
      signal(transferId);
    }
  }

  void signal(String transferId) {
    Set<Subscription> subscriptions = waiting.get(transferId);
    if (subscriptions != null) {
      subscriptions.forEach(Subscription::signal);
    }
  }
}
