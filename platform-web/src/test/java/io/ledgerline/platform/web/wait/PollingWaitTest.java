package io.ledgerline.platform.web.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PollingWaitTest {

  private long now = 5_000_000_000L;
  private final List<Long> pauses = new ArrayList<>();
  private final Deque<Integer> values = new ArrayDeque<>();
  private int reads;

  private final PollingWait testSubject =
      new PollingWait(
          5,
          40,
          () -> now,
          millis -> {
            pauses.add(millis);
            now += TimeUnit.MILLISECONDS.toNanos(millis);
          });

  private Integer next() {
    reads++;
    return values.isEmpty() ? 0 : values.poll();
  }

  @Test
  void whatIsAlreadyThereEndsTheWaitWithoutAReadOrAPause() throws Exception {
    var outcome = testSubject.until(7, Duration.ofSeconds(1), this::next, v -> v >= 7);

    assertThat(outcome).isEqualTo(new PollingWait.Outcome<>(7, true));
    assertThat(reads).isZero();
    assertThat(pauses).isEmpty();
  }

  @Test
  void readsAgainWithGrowingPausesUntilTheValueArrives() throws Exception {
    values.addAll(List.of(1, 2, 3, 9));

    var outcome = testSubject.until(0, Duration.ofSeconds(1), this::next, v -> v >= 9);

    assertThat(outcome).isEqualTo(new PollingWait.Outcome<>(9, true));
    assertThat(reads).isEqualTo(4);
    assertThat(pauses).containsExactly(5L, 10L, 20L, 40L);
  }

  @Test
  void atTheDeadlineItEndsWithTheLastReadNotReached() throws Exception {
    values.addAll(List.of(1, 2, 3, 4, 5, 6, 7, 8));

    var outcome = testSubject.until(0, Duration.ofMillis(100), this::next, v -> v >= 100);

    assertThat(outcome.reached()).isFalse();
    assertThat(outcome.last()).isEqualTo(reads);
    // 5 + 10 + 20 + 40, then the 25 ms left instead of another 40.
    assertThat(pauses).containsExactly(5L, 10L, 20L, 40L, 25L);
  }

  @Test
  void theLastPauseIsNeverCutToNothing() throws Exception {
    PollingWait late =
        new PollingWait(
            5,
            40,
            () -> now,
            millis -> {
              pauses.add(millis);
              now += TimeUnit.MILLISECONDS.toNanos(millis) + 300_000; // sleeps run late
            });

    var outcome = late.until(0, Duration.ofMillis(6), this::next, v -> v > 0);

    assertThat(outcome.reached()).isFalse();
    assertThat(pauses).containsExactly(5L, 1L);
  }

  @Test
  void aFailingReadEndsTheWaitWithItsException() {
    PollingWait.Read<Integer, IOException> failing =
        () -> {
          throw new IOException("read store down");
        };

    assertThatThrownBy(() -> testSubject.until(0, Duration.ofSeconds(1), failing, v -> v > 0))
        .isInstanceOf(IOException.class)
        .hasMessage("read store down");
    assertThat(pauses).containsExactly(5L);
  }

  @Test
  void pausesMustBePositiveAndGrow() {
    assertThatThrownBy(() -> new PollingWait(0, 10, () -> now, millis -> {}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PollingWait(10, 5, () -> now, millis -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
