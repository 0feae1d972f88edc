package io.ledgerline.eventstore;

import java.time.Instant;

/**
 * Which events of the global order to read by the time they were stored: from {@code from}
 * (inclusive) to {@code to} (exclusive); either bound may be {@code null} for none.
 */
public record TimeWindow(Instant from, Instant to) {

  /** No bound: every event. */
  public static final TimeWindow ALL = new TimeWindow(null, null);
}
