package io.ledgerline.command.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A command that loses append races is sent again, as it was, until it is decided or the caller's
 * bound is reached; any other failure is its answer at once.
 */
class AppendRaceRetryTest {

  private static final Object COMMAND = "deposit 5 EUR into acc-1";
  private static final MetaData METADATA = MetaData.from(Map.of("subject", "alice"));
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** One attempt as the gateway received it. */
  record Sent(Object command, MetaData metadata, long timeoutNanos) {}

  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  private final List<ConcurrencyException> conflicts = new CopyOnWriteArrayList<>();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void aCommandThatLostAppendRacesIsSentAgainUntilItIsDecided() {
    Object result = AppendRaceRetry.attempts(5).sendAndWait(losing(3), COMMAND, METADATA, TIMEOUT);

    assertThat(result).isEqualTo("decided");
    assertThat(sent).hasSize(4).containsOnly(new Sent(COMMAND, METADATA, TIMEOUT.toNanos()));
  }

  @Test
  void afterTheLastAttemptTheLastConflictIsThrown() {
    Throwable thrown = sendAlwaysLosing(AppendRaceRetry.attempts(3));

    assertThat(sent).hasSize(3);
    assertThat(thrown).isSameAs(conflicts.get(2));
  }

  @Test
  void pastTheBudgetTheCallersExceptionIsThrownWithTheLastConflict() {
    Duration budget = Duration.ofMillis(100);
    long start = System.nanoTime();

    Throwable thrown = sendAlwaysLosing(AppendRaceRetry.within(budget, Contended::new));

    assertThat(System.nanoTime() - start).isGreaterThan(budget.toNanos());
    assertThat(sent).hasSizeGreaterThan(1);
    assertThat(thrown)
        .isInstanceOf(Contended.class)
        .hasCauseReference(conflicts.get(conflicts.size() - 1));
  }

  @Test
  void anyOtherFailureIsThrownAtOnce() {
    AggregateNotFoundException notFound = new AggregateNotFoundException("acc-1", "no account");

    Throwable thrown =
        catchThrowable(
            () ->
                AppendRaceRetry.attempts(5)
                    .sendAndWait(
                        (command, metadata, timeout, unit) -> {
                          sent.add(new Sent(command, metadata, unit.toNanos(timeout)));
                          throw notFound;
                        },
                        COMMAND,
                        METADATA,
                        TIMEOUT));

    assertThat(thrown).isSameAs(notFound);
    assertThat(sent).hasSize(1);
  }

  @Test
  void anInterruptedRetryStopsAndKeepsTheInterrupt() {
    Thread.currentThread().interrupt();

    Throwable thrown = sendAlwaysLosing(AppendRaceRetry.attempts(5));

    assertThat(sent).hasSize(1);
    assertThat(thrown)
        .isInstanceOf(IllegalStateException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(thrown.getSuppressed()).containsExactly(conflicts.get(0));
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  private Throwable sendAlwaysLosing(AppendRaceRetry testSubject) {
    return catchThrowable(
        () -> testSubject.sendAndWait(losing(Integer.MAX_VALUE), COMMAND, METADATA, TIMEOUT));
  }

  /** A gateway on which the command loses {@code races} append races, then is decided. */
  private AppendRaceRetry.Dispatch losing(int races) {
    return (command, metadata, timeout, unit) -> {
      sent.add(new Sent(command, metadata, unit.toNanos(timeout)));
      if (conflicts.size() < races) {
        ConcurrencyException conflict =
            new ConcurrencyException("another writer appended to acc-1 first");
        conflicts.add(conflict);
        throw conflict;
      }
      return "decided";
    };
  }

  /** The caller's own answer to an aggregate that stays contended. */
  private static final class Contended extends RuntimeException {
    Contended(Throwable lastConflict) {
      super(lastConflict);
    }
  }
}
