package io.ledgerline.query.api;

import io.ledgerline.platform.web.problem.InvalidParameterException;
import java.io.IOException;
import java.time.Duration;
import java.util.function.ToLongFunction;
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

  private final Duration timeout;

  ReadYourWrites(@Value("${ledgerline.query.read-your-writes-timeout:PT5S}") Duration timeout) {
    this.timeout = timeout;
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
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = FIRST_PAUSE_MILLIS;
    while (true) {
      T value = read.read();
      long current = value == null ? -1 : version.applyAsLong(value);
      if (current >= minVersion) {
        return value;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw new ProjectionBehindException(what, minVersion, current);
      }
      Thread.sleep(Math.max(1, Math.min(pause, remaining / 1_000_000)));
      pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
    }
  }
}
