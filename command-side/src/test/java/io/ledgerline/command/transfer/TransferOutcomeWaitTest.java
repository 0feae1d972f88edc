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

  private TransferOutcomeWait waitFor(int maxWaiting) {
    return new TransferOutcomeWait(
        id -> {
          reads++;
          return Optional.of(transfer(statuses.isEmpty() ? "REQUESTED" : statuses.poll()));
        },
        maxWaiting,
        () -> now,
        millis -> {
          pauses.add(millis);
          now += TimeUnit.MILLISECONDS.toNanos(millis);
        });
  }

  @Test
  void aDecidedTransferIsAnsweredWithoutReadingAgain() {
    TransferView answer = waitFor(1).untilDecided(transfer("COMPLETED"), Duration.ofSeconds(5));

    assertThat(answer.status()).isEqualTo("COMPLETED");
    assertThat(reads).isZero();
    assertThat(pauses).isEmpty();
  }

  @Test
  void withoutAWaitTheTransferIsAnsweredAsItStands() {
    TransferView answer = waitFor(1).untilDecided(transfer("REQUESTED"), Duration.ZERO);

    assertThat(answer.status()).isEqualTo("REQUESTED");
    assertThat(reads).isZero();
  }

  @Test
  void theAnswerComesWithTheFirstReadThatShowsAnOutcome() {
    statuses.addAll(List.of("REQUESTED", "REQUESTED", "FAILED", "COMPLETED"));

    TransferView answer = waitFor(1).untilDecided(transfer("REQUESTED"), Duration.ofSeconds(5));

    assertThat(answer.status()).isEqualTo("FAILED");
    assertThat(reads).isEqualTo(3);
    assertThat(pauses).containsExactly(5L, 10L, 20L);
  }

  @Test
  void pausesGrowToFiftyMillisecondsAndTheWaitEndsAtItsBoundWithTheLastRead() {
    TransferView answer = waitFor(1).untilDecided(transfer("REQUESTED"), Duration.ofSeconds(1));

    assertThat(answer.status()).isEqualTo("REQUESTED");
    assertThat(pauses).startsWith(5L, 10L, 20L, 40L, 50L, 50L);
    assertThat(pauses.stream().mapToLong(Long::longValue).sum()).isEqualTo(1_000);
  }

  @Test
  void beyondTheWaitingLimitARequestIsAnsweredAtOnce() throws Exception {
    CountDownLatch firstWaits = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TransferOutcomeWait oneAtATime =
        new TransferOutcomeWait(
            id -> Optional.of(transfer("COMPLETED")),
            1,
            System::nanoTime,
            millis -> {
              firstWaits.countDown();
              release.await();
            });
    Thread first =
        new Thread(() -> oneAtATime.untilDecided(transfer("REQUESTED"), Duration.ofSeconds(5)));
    first.start();
    assertThat(firstWaits.await(5, TimeUnit.SECONDS)).isTrue();

    TransferView second = oneAtATime.untilDecided(transfer("REQUESTED"), Duration.ofSeconds(5));
    assertThat(second.status()).as("answered without waiting").isEqualTo("REQUESTED");

    release.countDown();
    first.join(5_000);
    assertThat(first.isAlive()).isFalse();
    // The first wait gave its place back.
    assertThat(oneAtATime.untilDecided(transfer("REQUESTED"), Duration.ofSeconds(5)).status())
        .isEqualTo("COMPLETED");
  }

  @Test
  void anInterruptedWaitAnswersWithWhatIsKnownAndKeepsTheInterrupt() {
    TransferOutcomeWait interrupted =
        new TransferOutcomeWait(
            id -> Optional.of(transfer("COMPLETED")),
            1,
            System::nanoTime,
            millis -> {
              throw new InterruptedException();
            });

    TransferView answer = interrupted.untilDecided(transfer("REQUESTED"), Duration.ofSeconds(5));

    assertThat(answer.status()).isEqualTo("REQUESTED");
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
