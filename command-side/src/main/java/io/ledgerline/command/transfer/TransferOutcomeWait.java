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
 * polling. Each poll of a client is a whole authenticated request. On the instance that runs the
 * transfer's process, the wait is woken once the decision has committed ({@link TransferSignals});
 * it re-reads the transfer's row and its dead-letter key only every 50 ms besides, which finds a
 * decision taken on another instance, and a step parked as a dead letter.
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

  /**
   * Between two reads of a wait that is woken when the transfer is decided on this instance: only a
   * decision on another instance (the transfer process moved) is found by re-reading.
   */
  private static final long SIGNALLED_PAUSE_MILLIS = 50;

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
  private final LongSupplier nanoTime;
  private final TransferSignals signals;

  @Autowired
  TransferOutcomeWait(
      @Value("${ledgerline.transfers.max-waiting:16}") int maxWaiting, TransferSignals signals) {
    this(maxWaiting, System::nanoTime, Thread::sleep, signals);
  }

  /** Without signals: every wait re-reads, its pauses growing from 5 to 50 ms. */
  TransferOutcomeWait(int maxWaiting, LongSupplier nanoTime, PollingWait.Pause pause) {
    this(maxWaiting, nanoTime, pause, null);
  }

  private TransferOutcomeWait(
      int maxWaiting, LongSupplier nanoTime, PollingWait.Pause pause, TransferSignals signals) {
    this.waiting = new Semaphore(maxWaiting);
    this.wait = new PollingWait(FIRST_PAUSE_MILLIS, LONGEST_PAUSE_MILLIS, nanoTime, pause);
    this.nanoTime = nanoTime;
    this.signals = signals;
  }

  /**
   * Subscribes to the transfer's decision on this instance, before the transfer is first read (so
   * no decision falls between that read and the wait); null when the client does not wait.
   */
  TransferSignals.Subscription subscribe(String transferId, Duration atMost) {
    return atMost.isZero() || signals == null ? null : signals.subscribe(transferId);
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
    return untilDecided(current, atMost, null, read);
  }

  /**
   * As {@link #untilDecided(TransferView, Duration, Read)}, woken by {@code decision} (from {@link
   * #subscribe}) as soon as the transfer is decided here; without one, by re-reading alone.
   */
  Outcome untilDecided(
      TransferView current, Duration atMost, TransferSignals.Subscription decision, Read read) {
    if (decided(current) || atMost.isZero()) {
      return new Outcome(current, true);
    }
    if (!waiting.tryAcquire()) {
      return new Outcome(current, false);
    }
    try {
      // A transfer once stored stays stored: a read that finds none keeps what was known.
      PollingWait reads =
          decision == null
              ? wait
              : new PollingWait(
                  SIGNALLED_PAUSE_MILLIS, SIGNALLED_PAUSE_MILLIS, nanoTime, decision::await);
      return new Outcome(
          reads
              .until(
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
