package io.ledgerline.platform.web.wait;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * A bounded wait by re-reading: read, and until what was read is what the caller waits for, pause
 * (growing from a first to a longest pause, the last one cut to the deadline) and read again, up to
 * a deadline. Behind the APIs that answer when something has happened instead of making clients
 * poll: a transfer's outcome on the command side, a read model reaching a client's own write on the
 * query side. The clock and the pause are injectable, so tests run it on a fake clock.
 */
public final class PollingWait {

  /** Waits between two reads. */
  @FunctionalInterface
  public interface Pause {
    void sleep(long millis) throws InterruptedException;
  }

  /** One read of what is waited for. */
  @FunctionalInterface
  public interface Read<T, X extends Exception> {
    T read() throws X;
  }

  /**
   * How a wait ended.
   *
   * @param last what was read last
   * @param reached whether {@code last} is what was waited for; false when the time ran out first
   */
  public record Outcome<T>(T last, boolean reached) {}

  private final long firstPauseMillis;
  private final long longestPauseMillis;
  private final LongSupplier nanoTime;
  private final Pause pause;

  /**
   * @param firstPauseMillis the pause after the first read, doubled after each read
   * @param longestPauseMillis the most it grows to
   * @param nanoTime the monotonic clock the wait is measured with
   * @param pause how to wait between two reads
   */
  public PollingWait(
      long firstPauseMillis, long longestPauseMillis, LongSupplier nanoTime, Pause pause) {
    if (firstPauseMillis < 1 || longestPauseMillis < firstPauseMillis) {
      throw new IllegalArgumentException("pauses must be at least 1 ms and grow");
    }
    this.firstPauseMillis = firstPauseMillis;
    this.longestPauseMillis = longestPauseMillis;
    this.nanoTime = nanoTime;
    this.pause = pause;
  }

  /**
   * Reads again until {@code reached} holds for what was read, or {@code atMost} has passed.
   *
   * @param current what was read before the wait (tested first, not read again at once)
   * @param atMost how long to wait at most
   * @param read reads again
   * @param reached whether a read is what the caller waits for
   * @throws InterruptedException when interrupted during a pause (the service is stopping)
   */
  public <T, X extends Exception> Outcome<T> until(
      T current, Duration atMost, Read<T, X> read, Predicate<T> reached)
      throws X, InterruptedException {
    return until(nanoTime.getAsLong() + atMost.toNanos(), current, read, reached);
  }

  /**
   * Reads, then as {@link #until}; the first read's own time counts against {@code atMost}.
   *
   * @throws InterruptedException when interrupted during a pause (the service is stopping)
   */
  public <T, X extends Exception> Outcome<T> readUntil(
      Duration atMost, Read<T, X> read, Predicate<T> reached) throws X, InterruptedException {
    long deadline = nanoTime.getAsLong() + atMost.toNanos();
    return until(deadline, read.read(), read, reached);
  }

  private <T, X extends Exception> Outcome<T> until(
      long deadline, T current, Read<T, X> read, Predicate<T> reached)
      throws X, InterruptedException {
    long pauseMillis = firstPauseMillis;
    while (!reached.test(current)) {
      long remaining = deadline - nanoTime.getAsLong();
      if (remaining <= 0) {
        return new Outcome<>(current, false);
      }
      // Cut to the deadline, but never to nothing: a last read within the time left.
      pause.sleep(Math.max(1, Math.min(pauseMillis, remaining / 1_000_000)));
      pauseMillis = Math.min(pauseMillis * 2, longestPauseMillis);
      current = read.read();
    }
    return new Outcome<>(current, true);
  }
}
