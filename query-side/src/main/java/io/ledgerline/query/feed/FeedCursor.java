package io.ledgerline.query.feed;

import io.ledgerline.platform.web.problem.InvalidParameterException;

/**
 * Where a live-feed client is: the event-store position of the last movement it received (the
 * event's id, {@code "4711"}). The feed reads the store's global order up to the settled position
 * only, below which no transaction still in flight can commit an event, so resuming after a
 * position misses nothing and repeats nothing, whichever query-side instance serves the stream and
 * however often the read models are rebuilt.
 *
 * @param position the global position read up to; 0 is before the first event
 */
record FeedCursor(long position) {

  static final FeedCursor START = new FeedCursor(0);

  /** The cursor an event id names; none is the start. */
  static FeedCursor parse(String value) {
    if (value == null || value.isBlank()) {
      return START;
    }
    long position;
    try {
      position = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      position = -1;
    }
    if (position < 0) {
      // Also an id of the feed before 2026-12 (Kafka offsets per partition, "0:41,3:17").
      throw new InvalidParameterException(
          "Last-Event-ID",
          "is not an id sent by this feed: reconnect without it to start at the present (or with"
              + " from=start)");
    }
    return new FeedCursor(position);
  }

  /** The cursor after the event at {@code next}; never backwards. */
  FeedCursor advance(long next) {
    return next > position ? new FeedCursor(next) : this;
  }

  String encode() {
    return Long.toString(position);
  }
}
