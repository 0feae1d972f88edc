package io.ledgerline.command.eventstore;

import java.util.stream.Stream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

/**
 * Axon's JDBC engine, with the event store's shared read-ahead cut into bounded rounds.
 *
 * <p>The one reader that asks for a blocking stream ({@code mayBlock}) is the read-ahead of Axon's
 * {@code EmbeddedEventStore}, which links every event it reads into its cache. It reads the whole
 * stream in one call, and that call keeps the node that was newest when it began in a local
 * variable until it returns: working off a backlog, that is every event read since, however small
 * the cache. A heap dump of an OutOfMemoryError while 100,000 appended events were worked off held
 * 54,801 linked events (each with its own tracking token of ≈ 96 gaps, ≈ 290 MB), all reachable
 * from that one stack frame, while the cache's own oldest entry was 1,000 from the newest. Ending
 * the read-ahead's stream after {@code maxEventsPerRead} events makes the call return; the
 * read-ahead calls again at once, from the newest event, so nothing is skipped or read twice, and
 * what one call can hold stays bounded. The processors' own streams ({@code mayBlock} false) are
 * unchanged.
 */
class BoundedReadAheadStorageEngine extends JdbcEventStorageEngine {

  private final int maxEventsPerRead;

  BoundedReadAheadStorageEngine(JdbcEventStorageEngine.Builder builder, int maxEventsPerRead) {
    super(builder);
    if (maxEventsPerRead < 1) {
      throw new IllegalArgumentException("maxEventsPerRead must be positive");
    }
    this.maxEventsPerRead = maxEventsPerRead;
  }

  @Override
  public Stream<? extends TrackedEventMessage<?>> readEvents(
      TrackingToken trackingToken, boolean mayBlock) {
    Stream<? extends TrackedEventMessage<?>> events = super.readEvents(trackingToken, mayBlock);
    return mayBlock ? events.limit(maxEventsPerRead) : events;
  }
}
