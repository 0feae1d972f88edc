package io.ledgerline.command.transfer;

import io.ledgerline.command.transfer.TransferStatusTable.TransferView;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The bounded wait behind {@code GET /transfers/{id}?waitSeconds=N}: a client that wants a
 * transfer's outcome asks once and is answered when the transfer leaves {@code REQUESTED}, or after
 * N seconds with where it stands, instead of polling. Each poll of a client is a whole
 * authenticated request; this wait re-reads one row by its key, from 5 ms apart growing to 50 ms,
 * whichever instance runs the transfer's process.
 *
 * <p>A wait holds a request thread. At most {@code ledgerline.transfers.max-waiting} requests wait
 * at once (a quarter of Tomcat's threads by default); beyond that a request is answered at once, as
 * without a wait, so waiting clients can never starve the others.
 */
@Component
class TransferOutcomeWait {

  /** The longest wait a client may ask for, in seconds. */
  static final int MAX_WAIT_SECONDS = 10;

  static final String PARAMETER = "waitSeconds";

  private static final long FIRST_PAUSE_MILLIS = 5;
  private static final long MAX_PAUSE_MILLIS = 50;

  /** One read of a transfer's row. */
  @FunctionalInterface
  interface Read {
    Optional<TransferView> transfer(String transferId);
  }

  /** Waits between two reads. */
  @FunctionalInterface
  interface Pause {
    void sleep(long millis) throws InterruptedException;
  }

  private final Read read;
  private final Semaphore waiting;
  private final LongSupplier nanoTime;
  private final Pause pause;

  @Autowired
  TransferOutcomeWait(
      TransferStatusTable transfers,
      @Value("${ledgerline.transfers.max-waiting:16}") int maxWaiting) {
    this(transfers::find, maxWaiting, System::nanoTime, Thread::sleep);
  }

  TransferOutcomeWait(Read read, int maxWaiting, LongSupplier nanoTime, Pause pause) {
    this.read = read;
    this.waiting = new Semaphore(maxWaiting);
    this.nanoTime = nanoTime;
    this.pause = pause;
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
   * The transfer once it has left {@code REQUESTED}, or as it stands after {@code atMost}.
   *
   * @param current the transfer as last read
   * @param atMost how long to wait at most
   */
  TransferView untilDecided(TransferView current, Duration atMost) {
    if (decided(current) || atMost.isZero() || !waiting.tryAcquire()) {
      return current;
    }
    try {
      long deadline = nanoTime.getAsLong() + atMost.toNanos();
      long pauseMillis = FIRST_PAUSE_MILLIS;
      while (true) {
        long remainingMillis = (deadline - nanoTime.getAsLong()) / 1_000_000;
        if (remainingMillis <= 0) {
          return current;
        }
        pause.sleep(Math.min(pauseMillis, remainingMillis));
        pauseMillis = Math.min(pauseMillis * 2, MAX_PAUSE_MILLIS);
        current = read.transfer(current.transferId()).orElse(current);
        if (decided(current)) {
          return current;
        }
      }
    } catch (InterruptedException e) {
      // The server is stopping: answer with what is known.
      Thread.currentThread().interrupt();
      return current;
    } finally {
      waiting.release();
    }
  }

  private static boolean decided(TransferView transfer) {
    return !"REQUESTED".equals(transfer.status());
  }
}
