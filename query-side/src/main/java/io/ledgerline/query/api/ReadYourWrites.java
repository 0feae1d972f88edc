package io.ledgerline.query.api;

import io.ledgerline.platform.web.problem.InvalidParameterException;
import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The bounded wait behind {@code minVersion}: reads a read model until it has reached the version a
 * client's own write produced (the command side's ETag), so the client reads its own write; after
 * {@code ledgerline.query.read-your-writes-timeout} it gives up with {@link
 * ProjectionBehindException} (503 with Retry-After).
 */
@Component
public class ReadYourWrites {

  private static final long FIRST_PAUSE_MILLIS = 5;
  private static final long MAX_PAUSE_MILLIS = 100;

  /** One read of the read model; null when it holds nothing yet. */
  @FunctionalInterface
  public interface Read<T> {
    T read() throws IOException;
  }

  /** Waits between two reads. */
  @FunctionalInterface
  interface Pause {
    void sleep(long millis) throws InterruptedException;
  }

  private final Duration timeout;
  private final LongSupplier nanoTime;
  private final Pause pause;

  @Autowired
  ReadYourWrites(@Value("${ledgerline.query.read-your-writes-timeout:PT5S}") Duration timeout) {
    this(timeout, System::nanoTime, Thread::sleep);
  }

  /**
   * @param timeout how long to wait for a version at most
   * @param nanoTime the monotonic clock the wait is measured with
   * @param pause how to wait between two reads
   */
  ReadYourWrites(Duration timeout, LongSupplier nanoTime, Pause pause) {
    this.timeout = timeout;
    this.nanoTime = nanoTime;
    this.pause = pause;
  }

  /**
   * Reads until {@code version} of what was read is at least {@code minVersion}; without a {@code
   * minVersion}, reads once.
   *
   * @param what names what is read, for the problem when it is not there in time
   * @param minVersion the version to wait for, or null
   * @param read reads the read model; null when it holds nothing yet (version -1)
   * @param version the version of what was read
   * @return the last read, which is at {@code minVersion} or later when one was given
   * @throws InvalidParameterException when {@code minVersion} is negative
   * @throws ProjectionBehindException when the read model does not get there in time
   */
  public <T> T await(String what, Long minVersion, Read<T> read, ToLongFunction<T> version)
      throws IOException, InterruptedException {
    if (minVersion == null) {
      return read.read();
    }
    if (minVersion < 0) {
      throw new InvalidParameterException("minVersion", "must be a version (0 or more)");
    }
    long deadline = nanoTime.getAsLong() + timeout.toNanos();
    long pauseMillis = FIRST_PAUSE_MILLIS;
    while (true) {
      T value = read.read();
      long current = value == null ? -1 : version.applyAsLong(value);
      if (current >= minVersion) {
        return value;
      }
      long remaining = deadline - nanoTime.getAsLong();
      if (remaining <= 0) {
        throw new ProjectionBehindException(what, minVersion, current);
      }
      pause.sleep(Math.max(1, Math.min(pauseMillis, remaining / 1_000_000)));
      pauseMillis = Math.min(pauseMillis * 2, MAX_PAUSE_MILLIS);
    }
  }
}
