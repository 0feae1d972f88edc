package io.ledgerline.command.eventstore;

import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

/**
 * Axon's JDBC engine, with the event store's shared read-ahead cut into bounded, paced rounds.
 *
 * <p>The one reader that asks for a blocking stream ({@code mayBlock}) is the read-ahead of Axon's
 * {@code EmbeddedEventStore}, which links every event it reads into its cache. The processors' own
 * streams ({@code mayBlock} false) are unchanged. The read-ahead's rounds differ from Axon's in
 * three ways:
 *
 * <ul>
 *   <li><b>Bounded.</b> Axon reads the whole stream in one call, and that call keeps the node that
 *       was newest when it began in a local variable until it returns: working off a backlog, that
 *       is every event read since, however small the cache. A heap dump of an OutOfMemoryError
 *       while 100,000 appended events were worked off held 54,801 linked events (each with its own
 *       tracking token of ≈ 96 gaps, ≈ 290 MB), all reachable from that one stack frame, while the
 *       cache's own oldest entry was 1,000 from the newest. A round ends after {@code
 *       maxEventsPerRead} events; the read-ahead calls again, from the newest event, so nothing is
 *       skipped or read twice, and what one call can hold stays bounded.
 *   <li><b>Ended by the first batch that did not reach the top of its range</b>, not by an empty
 *       one. Axon's query reads a range of positions ({@code batchSize} after the token, plus the
 *       token's gaps); its stream reads until a query finds nothing, and each empty query runs a
 *       second one (the lowest position ahead, for gaps wider than a range). A batch whose highest
 *       position is below its range's top was read at the head of the store (or just below a
 *       position still in flight): the next round, from the newest event read, sees what came
 *       since. A range filled to its top goes on at once, as when working off a backlog.
 *   <li><b>Paced</b>: a round starts at least {@code minInterval} after the previous one started.
 *       Every append on this instance wakes the read-ahead, and a round that found events is
 *       followed by another at once: under a deposit load that was one round per one or two
 *       appends, about 330 queries a second at 535 deposits a second, a third of PostgreSQL's
 *       statements. Paced, each round takes what the appends of the interval left, at most {@code 1
 *       / minInterval} rounds a second, and an event waits at most that long longer before the
 *       processors see it. A round after a quiet spell starts at once.
 * </ul>
 */
class BoundedReadAheadStorageEngine extends JdbcEventStorageEngine {

  private final int maxEventsPerRead;
  private final Pacer pacer;

  BoundedReadAheadStorageEngine(
      JdbcEventStorageEngine.Builder builder, int maxEventsPerRead, Duration minInterval) {
    super(builder);
    if (maxEventsPerRead < 1) {
      throw new IllegalArgumentException("maxEventsPerRead must be positive");
    }
    this.maxEventsPerRead = maxEventsPerRead;
    this.pacer = new Pacer(minInterval, System::nanoTime);
  }

  @Override
  public Stream<? extends TrackedEventMessage<?>> readEvents(
      TrackingToken trackingToken, boolean mayBlock) {
    Stream<? extends TrackedEventMessage<?>> events = super.readEvents(trackingToken, mayBlock);
    return mayBlock ? events.limit(maxEventsPerRead) : events;
  }

  @Override
  protected Stream<? extends TrackedEventData<?>> readEventData(
      TrackingToken trackingToken, boolean mayBlock) {
    if (!mayBlock) {
      return super.readEventData(trackingToken, false);
    }
    try {
      pacer.awaitTurn();
    } catch (InterruptedException e) {
      // Shutting down: the read-ahead stops at its next wait.
      Thread.currentThread().interrupt();
      return Stream.empty();
    }
    return untilRangeNotFilled(
        last -> fetchTrackedEvents(last, batchSize()), trackingToken, batchSize());
  }

  /**
   * The events after {@code from}, fetched range by range ({@code batchSize} positions after the
   * last token) until a batch is empty or its highest position is below its range's top.
   */
  static <T extends TrackedEventData<?>> Stream<T> untilRangeNotFilled(
      Function<TrackingToken, List<? extends T>> fetch, TrackingToken from, int batchSize) {
    Spliterator<T> batches =
        new Spliterators.AbstractSpliterator<T>(
            Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
          private TrackingToken last = from;
          private Iterator<? extends T> batch = Collections.emptyIterator();
          private boolean lastBatch;

          @Override
          public boolean tryAdvance(Consumer<? super T> action) {
            if (!batch.hasNext()) {
              if (lastBatch) {
                return false;
              }
              long rangeTop = positionOf(last) + batchSize;
              List<? extends T> items = fetch.apply(last);
              if (items.isEmpty()) {
                return false;
              }
              // Ordered by position: the last is the highest.
              lastBatch = positionOf(items.get(items.size() - 1).trackingToken()) < rangeTop;
              batch = items.iterator();
            }
            T next = batch.next();
            last = next.trackingToken();
            action.accept(next);
            return true;
          }
        };
    return StreamSupport.stream(batches, false);
  }

  /** The token's position in the global order; -1 before the first event, as Axon's query. */
  private static long positionOf(TrackingToken token) {
    return token == null ? -1 : token.position().orElse(-1);
  }

  /** Lets a round start no sooner than {@code minInterval} after the previous round started. */
  static final class Pacer {

    private final long minIntervalNanos;
    private final LongSupplier nanoTime;
    private long lastStart;
    private boolean started;

    Pacer(Duration minInterval, LongSupplier nanoTime) {
      if (minInterval.isNegative()) {
        throw new IllegalArgumentException("minInterval must not be negative");
      }
      this.minIntervalNanos = minInterval.toNanos();
      this.nanoTime = nanoTime;
    }

    /** Waits until the next round may start, and marks its start. */
    synchronized void awaitTurn() throws InterruptedException {
      long wait = nanosToWait();
      if (wait > 0) {
        // The read-ahead's own thread, holding no lock of the event store's.
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      lastStart = nanoTime.getAsLong();
      started = true;
    }

    /** How long a round asked for now would wait. */
    synchronized long nanosToWait() {
      return started ? Math.max(0, lastStart + minIntervalNanos - nanoTime.getAsLong()) : 0;
    }
  }
}
