package io.ledgerline.command.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerline.command.eventstore.BoundedReadAheadStorageEngine.Pacer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.SerializedObject;
import org.junit.jupiter.api.Test;

class BoundedReadAheadStorageEngineTest {

  /** A store of events at positions 1..{@code count}, served in windows of {@code batchSize}. */
  private static final class Store {
    final List<Long> askedAfter = new ArrayList<>();
    long count;

    Store(long count) {
      this.count = count;
    }

    List<TrackedEventData<?>> fetch(TrackingToken last, int batchSize) {
      long after = last == null ? 0 : last.position().orElseThrow();
      askedAfter.add(after);
      return LongStream.rangeClosed(after + 1, Math.min(count, after + batchSize))
          .<TrackedEventData<?>>mapToObj(Store::event)
          .toList();
    }

    static TrackedEventData<?> event(long position) {
      GlobalSequenceTrackingToken token = new GlobalSequenceTrackingToken(position);
      return new TrackedEventData<Object>() {
        @Override
        public TrackingToken trackingToken() {
          return token;
        }

        @Override
        public String getEventIdentifier() {
          return "event-" + position;
        }

        @Override
        public Instant getTimestamp() {
          return Instant.EPOCH;
        }

        @Override
        public SerializedObject<Object> getMetaData() {
          return null;
        }

        @Override
        public SerializedObject<Object> getPayload() {
          return null;
        }
      };
    }
  }

  private static List<Long> positions(List<? extends TrackedEventData<?>> events) {
    return events.stream().map(e -> e.trackingToken().position().orElseThrow()).toList();
  }

  @Test
  void aRoundEndsAtTheFirstBatchShortOfFullWithoutAskingForAnEmptyOne() {
    Store store = new Store(7);

    List<TrackedEventData<?>> read =
        BoundedReadAheadStorageEngine.untilShortBatch(t -> store.fetch(t, 3), null, 3).toList();

    assertThat(positions(read)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    // 3 full, 3 full, 1 short: the fourth query, which would find nothing, is never made.
    assertThat(store.askedAfter).containsExactly(0L, 3L, 6L);
  }

  @Test
  void theNextRoundGoesOnFromTheNewestEventReadAndSeesWhatCameSince() {
    Store store = new Store(4);
    List<TrackedEventData<?>> first =
        BoundedReadAheadStorageEngine.untilShortBatch(t -> store.fetch(t, 3), null, 3).toList();
    store.count = 9;

    List<TrackedEventData<?>> second =
        BoundedReadAheadStorageEngine.untilShortBatch(
                t -> store.fetch(t, 3), first.get(first.size() - 1).trackingToken(), 3)
            .toList();

    assertThat(positions(first)).containsExactly(1L, 2L, 3L, 4L);
    assertThat(positions(second)).containsExactly(5L, 6L, 7L, 8L, 9L);
  }

  @Test
  void aRoundThatFindsNothingAsksOnce() {
    Store store = new Store(5);

    List<TrackedEventData<?>> read =
        BoundedReadAheadStorageEngine.untilShortBatch(
                t -> store.fetch(t, 3), new GlobalSequenceTrackingToken(5), 3)
            .toList();

    assertThat(read).isEmpty();
    assertThat(store.askedAfter).containsExactly(5L);
  }

  @Test
  void anExactlyFullLastBatchIsFollowedByOneEmptyQuery() {
    Store store = new Store(6);

    List<TrackedEventData<?>> read =
        BoundedReadAheadStorageEngine.untilShortBatch(t -> store.fetch(t, 3), null, 3).toList();

    assertThat(positions(read)).hasSize(6);
    assertThat(store.askedAfter).containsExactly(0L, 3L, 6L);
  }

  @Test
  void aRoundStartsNoSoonerThanTheIntervalAfterThePreviousOneStarted() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    Pacer pacer = new Pacer(Duration.ofMillis(10), now::get);

    assertThat(pacer.nanosToWait()).isZero();
    pacer.awaitTurn();
    now.addAndGet(4_000_000);
    assertThat(pacer.nanosToWait()).isEqualTo(6_000_000);
    now.addAndGet(6_000_000);
    assertThat(pacer.nanosToWait()).isZero();
    pacer.awaitTurn();
    now.addAndGet(60_000_000);
    // After a quiet spell the next round starts at once.
    assertThat(pacer.nanosToWait()).isZero();
  }

  @Test
  void aRoundWaitsOutTheRestOfTheInterval() throws Exception {
    Pacer pacer = new Pacer(Duration.ofMillis(30), System::nanoTime);
    pacer.awaitTurn();
    long started = System.nanoTime();

    pacer.awaitTurn();

    assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(Duration.ofMillis(25).toNanos());
  }

  @Test
  void aNegativeIntervalIsRefused() {
    assertThatThrownBy(() -> new Pacer(Duration.ofMillis(-1), System::nanoTime))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
