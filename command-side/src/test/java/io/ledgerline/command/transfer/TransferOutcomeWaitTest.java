package io.ledgerline.command.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerline.command.transfer.TransferStatusTable.TransferView;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The wait behind {@code waitSeconds}, on a clock that moves only when the wait pauses and a
 * transfer row that is a list of statuses: no time passes, no store is read.
 */
class TransferOutcomeWaitTest {

  private long now = 1_000_000_000L;
  private final List<Long> pauses = new ArrayList<>();
  private final Deque<String> statuses = new ArrayDeque<>();
  private int reads;

  private final TransferOutcomeWait testSubject =
      new TransferOutcomeWait(
          1,
          () -> now,
          millis -> {
            pauses.add(millis);
            now += TimeUnit.MILLISECONDS.toNanos(millis);
          });

  /** Reads the next of {@link #statuses}; "STUCK" is a transfer still requested but parked. */
  private Optional<TransferView> nextRead(String transferId) {
    reads++;
    String status = statuses.isEmpty() ? "REQUESTED" : statuses.poll();
    return Optional.of(
        status.equals("STUCK") ? transfer("REQUESTED").markedStuck("parked") : transfer(status));
  }

  private TransferOutcomeWait.Outcome await(TransferView current, Duration atMost) {
    return testSubject.untilDecided(current, atMost, this::nextRead);
  }

  @Test
  void aDecidedTransferIsAnsweredWithoutReadingAgain() {
    var answer = await(transfer("COMPLETED"), Duration.ofSeconds(5));

    assertThat(answer.transfer().status()).isEqualTo("COMPLETED");
    assertThat(answer.waited()).isTrue();
    assertThat(reads).isZero();
    assertThat(pauses).isEmpty();
  }

  @Test
  void withoutAWaitTheTransferIsAnsweredAsItStands() {
    var answer = await(transfer("REQUESTED"), Duration.ZERO);

    assertThat(answer.transfer().status()).isEqualTo("REQUESTED");
    assertThat(reads).isZero();
  }

  @Test
  void theAnswerComesWithTheFirstReadThatShowsAnOutcome() {
    statuses.addAll(List.of("REQUESTED", "REQUESTED", "FAILED", "COMPLETED"));

    var answer = await(transfer("REQUESTED"), Duration.ofSeconds(5));

    assertThat(answer.transfer().status()).isEqualTo("FAILED");
    assertThat(reads).isEqualTo(3);
    assertThat(pauses).containsExactly(5L, 10L, 20L);
  }

  @Test
  void aTransferParkedDuringTheWaitEndsItAsStuck() {
    statuses.addAll(List.of("REQUESTED", "STUCK", "COMPLETED"));

    var answer = await(transfer("REQUESTED"), Duration.ofSeconds(5));

    assertThat(answer.transfer().stuck()).isTrue();
    assertThat(answer.transfer().status()).isEqualTo("REQUESTED");
    assertThat(reads).isEqualTo(2);
  }

  @Test
  void aTransferStuckAlreadyIsAnsweredWithoutWaiting() {
    var answer = await(transfer("REQUESTED").markedStuck("parked"), Duration.ofSeconds(5));

    assertThat(answer.transfer().stuck()).isTrue();
    assertThat(reads).isZero();
    assertThat(pauses).isEmpty();
  }

  @Test
  void pausesGrowToFiftyMillisecondsAndTheWaitEndsAtItsBoundWithTheLastRead() {
    var answer = await(transfer("REQUESTED"), Duration.ofSeconds(1));

    assertThat(answer.transfer().status()).isEqualTo("REQUESTED");
    assertThat(answer.waited()).isTrue();
    assertThat(pauses).startsWith(5L, 10L, 20L, 40L, 50L, 50L);
    assertThat(pauses.stream().mapToLong(Long::longValue).sum()).isEqualTo(1_000);
  }

  @Test
  void beyondTheWaitingLimitARequestIsAnsweredAtOnceAndToldItDidNotWait() throws Exception {
    CountDownLatch firstWaits = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TransferOutcomeWait oneAtATime =
        new TransferOutcomeWait(
            1,
            System::nanoTime,
            millis -> {
              firstWaits.countDown();
              if (!release.await(10, TimeUnit.SECONDS)) {
                throw new InterruptedException("never released");
              }
            });
    TransferOutcomeWait.Read completed = id -> Optional.of(transfer("COMPLETED"));
    AtomicReference<TransferOutcomeWait.Outcome> first = new AtomicReference<>();
    Thread waiting =
        new Thread(
            () ->
                first.set(
                    oneAtATime.untilDecided(
                        transfer("REQUESTED"), Duration.ofSeconds(5), completed)));
    waiting.setDaemon(true);
    waiting.start();
    try {
      assertThat(firstWaits.await(5, TimeUnit.SECONDS)).isTrue();

      var second = oneAtATime.untilDecided(transfer("REQUESTED"), Duration.ofSeconds(5), completed);
      assertThat(second.transfer().status()).as("answered without waiting").isEqualTo("REQUESTED");
      assertThat(second.waited()).isFalse();
    } finally {
      release.countDown();
    }
    waiting.join(5_000);
    assertThat(first.get().transfer().status()).isEqualTo("COMPLETED");
    assertThat(first.get().waited()).isTrue();
    // The first wait gave its place back.
    var third = oneAtATime.untilDecided(transfer("REQUESTED"), Duration.ofSeconds(5), completed);
    assertThat(third.transfer().status()).isEqualTo("COMPLETED");
    assertThat(third.waited()).isTrue();
  }

  @Test
  void anInterruptedWaitAnswersWithWhatIsKnownAndKeepsTheInterrupt() {
    TransferOutcomeWait interrupted =
        new TransferOutcomeWait(
            1,
            System::nanoTime,
            millis -> {
              throw new InterruptedException();
            });

    var answer =
        interrupted.untilDecided(
            transfer("REQUESTED"), Duration.ofSeconds(5), id -> Optional.of(transfer("COMPLETED")));

    assertThat(answer.transfer().status()).isEqualTo("REQUESTED");
    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void theRequestedWaitIsFromZeroToTenSeconds() {
    assertThat(TransferOutcomeWait.requested(null)).isZero();
    assertThat(TransferOutcomeWait.requested(0)).isZero();
    assertThat(TransferOutcomeWait.requested(10)).isEqualTo(Duration.ofSeconds(10));
    for (int refused : new int[] {-1, 11, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      assertThatThrownBy(() -> TransferOutcomeWait.requested(refused))
          .isInstanceOf(InvalidParameterException.class)
          .hasMessageContaining("waitSeconds");
    }
  }

  private static TransferView transfer(String status) {
    Instant at = Instant.parse("2026-01-15T09:30:00Z");
    return new TransferView(
        "t-1", "a-1", "a-2", 500, "EUR", null, false, status, null, at, at, false, null);
  }
}
