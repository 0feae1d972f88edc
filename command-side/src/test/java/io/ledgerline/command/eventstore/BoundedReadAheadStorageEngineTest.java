package io.ledgerline.command.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerline.command.eventstore.BoundedReadAheadStorageEngine.Pacer;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

class BoundedReadAheadStorageEngineTest {

  private static final int BATCH = 3;

  /**
   * Events at positions 1..{@code head}, except the holes (positions rolled back or still in
   * flight), served as Axon's JDBC query serves them: the range of {@code batchSize} positions
   * after the last token, so a range with a hole comes back short even with events beyond it.
   */
  private static final class Store {
    final List<Long> askedAfter = new ArrayList<>();
    final Set<Long> holes;
    long head;

    Store(long head, Long... holes) {
      this.head = head;
      this.holes = Set.of(holes);
    }

    List<TrackedEventData<?>> fetch(TrackingToken last, int batchSize) {
      long after = last == null ? -1 : last.position().orElseThrow();
      askedAfter.add(after);
      List<TrackedEventData<?>> range = range(after, after + batchSize);
      if (range.isEmpty()) {
        // Axon's check for a hole wider than a range: read up to the lowest position ahead.
        return LongStream.rangeClosed(after + 1, head)
            .filter(position -> position > 0 && !holes.contains(position))
            .findFirst()
            .stream()
            .boxed()
            .flatMap(lowest -> range(after, lowest).stream())
            .toList();
      }
      return range;
    }

    private List<TrackedEventData<?>> range(long after, long top) {
      return LongStream.rangeClosed(Math.max(1, after + 1), Math.min(head, top))
          .filter(position -> !holes.contains(position))
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

  /** The engine as configured, with the store above in place of PostgreSQL. */
  private static final class EngineOn extends BoundedReadAheadStorageEngine {
    private final Store store;

    EngineOn(Store store, Duration readAheadInterval) {
      super(
          JdbcEventStorageEngine.builder()
              .connectionProvider(
                  () -> {
                    throw new SQLException("no database in a unit test");
                  })
              .transactionManager(NoTransactionManager.INSTANCE)
              .eventSerializer(JacksonSerializer.defaultSerializer())
              .snapshotSerializer(JacksonSerializer.defaultSerializer())
              .batchSize(BATCH),
          1_000,
          readAheadInterval);
      this.store = store;
    }

    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(
        TrackingToken lastToken, int batchSize) {
      return store.fetch(lastToken, batchSize);
    }

    List<Long> read(TrackingToken from, boolean mayBlock) {
      return positions(readEventData(from, mayBlock).toList());
    }
  }

  private static List<Long> positions(List<? extends TrackedEventData<?>> events) {
    return events.stream().map(e -> e.trackingToken().position().orElseThrow()).toList();
  }

  private static List<Long> readAhead(Store store, TrackingToken from) {
    return positions(
        BoundedReadAheadStorageEngine.untilRangeNotFilled(t -> store.fetch(t, BATCH), from, BATCH)
            .toList());
  }

  @Test
  void aRoundEndsAtTheFirstRangeNotFilledWithoutAskingForAnEmptyOne() {
    Store store = new Store(7);

    assertThat(readAhead(store, null)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    // Ranges after -1, 2 and 5 hold 1-2, 3-5, 6-7: the last stops below its top (8), and the
    // query after it, which would find nothing, is never made.
    assertThat(store.askedAfter).containsExactly(-1L, 2L, 5L);
  }

  @Test
  void aHoleBelowARangesTopDoesNotEndTheRound() {
    // Working off a backlog: position 5 rolled back (or is in flight), and events go on after it.
    Store store = new Store(10, 5L);

    assertThat(readAhead(store, new GlobalSequenceTrackingToken(0)))
        .containsExactly(1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L, 10L);
    assertThat(store.askedAfter).containsExactly(0L, 3L, 6L, 9L);
  }

  @Test
  void aHoleAtARangesTopEndsTheRoundAndTheNextGoesOnFromTheNewestEventRead() {
    Store store = new Store(10, 6L);

    List<Long> first = readAhead(store, new GlobalSequenceTrackingToken(0));
    List<Long> second =
        readAhead(store, new GlobalSequenceTrackingToken(first.get(first.size() - 1)));

    assertThat(first).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(second).containsExactly(7L, 8L, 9L, 10L);
  }

  @Test
  void aHoleWiderThanARangeIsCrossedByAxonsLowestPositionAheadAndTheRoundGoesOn() {
    Store store = new Store(9, 1L, 2L, 3L, 4L);

    // (0, 3] is empty; Axon reads (0, 5] instead, whose 5 is above the range's top: on to (5, 8].
    assertThat(readAhead(store, new GlobalSequenceTrackingToken(0)))
        .containsExactly(5L, 6L, 7L, 8L, 9L);
    assertThat(store.askedAfter).containsExactly(0L, 5L, 8L);
  }

  @Test
  void theNextRoundSeesWhatWasAppendedSince() {
    Store store = new Store(4);
    List<Long> first = readAhead(store, null);
    store.head = 9;

    List<Long> second = readAhead(store, new GlobalSequenceTrackingToken(4));

    assertThat(first).containsExactly(1L, 2L, 3L, 4L);
    assertThat(second).containsExactly(5L, 6L, 7L, 8L, 9L);
  }

  @Test
  void aRoundThatFindsNothingAsksOnce() {
    Store store = new Store(5);

    assertThat(readAhead(store, new GlobalSequenceTrackingToken(5))).isEmpty();
    assertThat(store.askedAfter).containsExactly(5L);
  }

  @Test
  void theReadAheadsStreamEndsEarlyAndTheProcessorsOwnStreamsReadUntilEmpty() {
    Store forReadAhead = new Store(7);
    Store forProcessor = new Store(7);

    assertThat(new EngineOn(forReadAhead, Duration.ZERO).read(null, true)).hasSize(7);
    assertThat(new EngineOn(forProcessor, Duration.ZERO).read(null, false)).hasSize(7);

    assertThat(forReadAhead.askedAfter).containsExactly(-1L, 2L, 5L);
    // Axon's own stream, unchanged: one more query, which finds nothing.
    assertThat(forProcessor.askedAfter).containsExactly(-1L, 2L, 5L, 7L);
  }

  @Test
  void theReadAheadsRoundsArePaced() {
    Store store = new Store(1);
    EngineOn engine = new EngineOn(store, Duration.ofMillis(40));

    long started = System.nanoTime();
    engine.read(null, true);
    engine.read(new GlobalSequenceTrackingToken(1), true);
    long twoRounds = System.nanoTime() - started;

    // The second round starts no sooner than 40 ms after the first one started.
    assertThat(twoRounds).isGreaterThanOrEqualTo(Duration.ofMillis(39).toNanos());
    assertThat(store.askedAfter).containsExactly(-1L, 1L);
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
  void aNegativeIntervalIsRefused() {
    assertThatThrownBy(() -> new Pacer(Duration.ofMillis(-1), System::nanoTime))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
