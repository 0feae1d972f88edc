package io.ledgerline.command.transfer;

import io.ledgerline.command.transfer.TransferStatusTable.TransferView;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import io.ledgerline.platform.web.wait.PollingWait;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The bounded wait behind {@code GET /transfers/{id}?waitSeconds=N}: a client that wants a
 * transfer's outcome asks once and is answered when the transfer leaves {@code REQUESTED} or is
 * stuck (a step parked as a dead letter), or after N seconds with where it stands, instead of
 * polling. Each poll of a client is a whole authenticated request; this wait re-reads the
 * transfer's row and its dead-letter key, from 5 ms apart growing to 50 ms, whichever instance runs
 * the transfer's process.
 *
 * <p>A wait holds a request thread. At most {@code ledgerline.transfers.max-waiting} requests wait
 * at once (a quarter of Tomcat's threads by default); beyond that a request is answered at once, as
 * without a wait, and told so ({@link Outcome#waited()} false: the API adds {@code Retry-After}),
 * so waiting clients can never starve the others.
 */
@Component
class TransferOutcomeWait {

  /** The longest wait a client may ask for, in seconds. */
  static final int MAX_WAIT_SECONDS = 10;

  static final String PARAMETER = "waitSeconds";

  private static final long FIRST_PAUSE_MILLIS = 5;
  private static final long LONGEST_PAUSE_MILLIS = 50;

  /** One read of a transfer as the client would be answered (marked stuck when it is). */
  @FunctionalInterface
  interface Read {
    Optional<TransferView> transfer(String transferId);
  }

  /**
   * What the wait ended with.
   *
   * @param transfer the transfer as last read
   * @param waited false when a wait was asked for but not granted, all places being taken
   */
  record Outcome(TransferView transfer, boolean waited) {}

  private final Semaphore waiting;
  private final PollingWait wait;

  @Autowired
  TransferOutcomeWait(@Value("${ledgerline.transfers.max-waiting:16}") int maxWaiting) {
    this(maxWaiting, System::nanoTime, Thread::sleep);
  }

  TransferOutcomeWait(int maxWaiting, LongSupplier nanoTime, PollingWait.Pause pause) {
    this.waiting = new Semaphore(maxWaiting);
    this.wait = new PollingWait(FIRST_PAUSE_MILLIS, LONGEST_PAUSE_MILLIS, nanoTime, pause);
  }

  /**
   * Checks a client's {@code waitSeconds}.
   *
   * @return how long to wait at most; zero without a wait
   * @throws InvalidParameterException when it is negative or above {@link #MAX_WAIT_SECONDS}
   */
  static Duration requested(Integer waitSeconds) {
    if (waitSeconds == null) {
      return Duration.ZERO;
    }
    if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
      throw new InvalidParameterException(
          PARAMETER, "must be a number of seconds from 0 to " + MAX_WAIT_SECONDS);
    }
    return Duration.ofSeconds(waitSeconds);
  }

  /**
   * The transfer once it has left {@code REQUESTED} or is stuck, or as it stands after {@code
   * atMost}.
   *
   * @param current the transfer as last read
   * @param atMost how long to wait at most
   * @param read reads the transfer again
   */
  Outcome untilDecided(TransferView current, Duration atMost, Read read) {
    if (decided(current) || atMost.isZero()) {
      return new Outcome(current, true);
    }
    if (!waiting.tryAcquire()) {
      return new Outcome(current, false);
    }
    try {
      // A transfer once stored stays stored: a read that finds none keeps what was known.
      return new Outcome(
          wait.until(
                  current,
                  atMost,
                  () -> read.transfer(current.transferId()).orElse(current),
                  TransferOutcomeWait::decided)
              .last(),
          true);
    } catch (InterruptedException e) {
      // The server is stopping: answer with what is known.
      Thread.currentThread().interrupt();
      return new Outcome(current, true);
    } finally {
      waiting.release();
    }
  }

  private static boolean decided(TransferView transfer) {
    return transfer.stuck() || !"REQUESTED".equals(transfer.status());
  }
}
