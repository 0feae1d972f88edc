package io.ledgerline.command.api;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * Sends a command and, each time it loses an append race ({@link ConcurrencyException}: another
 * writer stored an event of the aggregate first), sends it again after a short jittered pause,
 * within a bound. A plain command that loses the race was decided on a state that no longer exists
 * and applied nothing: it must be decided again on the new state, never answered 409, since the
 * client did nothing wrong. Any other failure is the command's answer and is thrown at once.
 */
public final class AppendRaceRetry {

  /** How one attempt is sent: {@code CommandGateway::sendAndWait}. */
  @FunctionalInterface
  public interface Dispatch {
    Object sendAndWait(Object command, MetaData metadata, long timeout, TimeUnit unit);
  }

  private final int attempts;
  private final long budgetNanos;
  private final Function<? super ConcurrencyException, ? extends RuntimeException> giveUp;

  private AppendRaceRetry(
      int attempts,
      long budgetNanos,
      Function<? super ConcurrencyException, ? extends RuntimeException> giveUp) {
    this.attempts = attempts;
    this.budgetNanos = budgetNanos;
    this.giveUp = giveUp;
  }

  /** Sends at most {@code attempts} times, then rethrows the last {@link ConcurrencyException}. */
  public static AppendRaceRetry attempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
    }
    return new AppendRaceRetry(attempts, Long.MAX_VALUE, lastConflict -> lastConflict);
  }

  /**
   * Sends again until {@code budget} has passed since the first attempt, then throws what {@code
   * giveUp} makes of the last {@link ConcurrencyException}.
   */
  public static AppendRaceRetry within(
      Duration budget, Function<? super ConcurrencyException, ? extends RuntimeException> giveUp) {
    return new AppendRaceRetry(Integer.MAX_VALUE, budget.toNanos(), giveUp);
  }

  /**
   * The handler's result of {@code command} with {@code metadata}, each attempt waiting at most
   * {@code timeout}.
   *
   * @throws ConcurrencyException or the caller's exception, once the bound is reached
   * @throws IllegalStateException when the thread is interrupted while pausing (its interrupt flag
   *     set again)
   */
  public Object sendAndWait(
      Dispatch commands, Object command, MetaData metadata, Duration timeout) {
    long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        return commands.sendAndWait(command, metadata, timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (ConcurrencyException e) {
        if (attempt >= attempts || System.nanoTime() - start > budgetNanos) {
          throw giveUp.apply(e);
        }
        pause(attempt, e);
      }
    }
  }

  // Jittered, growing pauses so that racing writers stop colliding in lockstep.
  private static void pause(int attempt, ConcurrencyException lastConflict) {
    long ceilingMillis = Math.min(50, 1L << Math.min(attempt, 6));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(ceilingMillis + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      IllegalStateException interrupted =
          new IllegalStateException("interrupted while retrying a command", e);
      interrupted.addSuppressed(lastConflict);
      throw interrupted;
    }
  }
}
