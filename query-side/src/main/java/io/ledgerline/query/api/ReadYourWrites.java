package io.ledgerline.query.api;

import io.ledgerline.platform.web.problem.InvalidParameterException;
import io.ledgerline.platform.web.wait.PollingWait;
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
  private static final long LONGEST_PAUSE_MILLIS = 100;

  /** One read of the read model; null when it holds nothing yet. */
  @FunctionalInterface
  public interface Read<T> extends PollingWait.Read<T, IOException> {}

  private final Duration timeout;
  private final PollingWait wait;

  @Autowired
  ReadYourWrites(@Value("${ledgerline.query.read-your-writes-timeout:PT5S}") Duration timeout) {
    this(timeout, System::nanoTime, Thread::sleep);
  }

  /**
   * @param timeout how long to wait for a version at most
   * @param nanoTime the monotonic clock the wait is measured with
   * @param pause how to wait between two reads
   */
  ReadYourWrites(Duration timeout, LongSupplier nanoTime, PollingWait.Pause pause) {
    this.timeout = timeout;
    this.wait = new PollingWait(FIRST_PAUSE_MILLIS, LONGEST_PAUSE_MILLIS, nanoTime, pause);
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
    PollingWait.Outcome<T> outcome =
        wait.readUntil(timeout, read, value -> versionOf(value, version) >= minVersion);
    if (!outcome.reached()) {
      throw new ProjectionBehindException(what, minVersion, versionOf(outcome.last(), version));
    }
    return outcome.last();
  }

  private static <T> long versionOf(T value, ToLongFunction<T> version) {
    return value == null ? -1 : version.applyAsLong(value);
  }
}
