package io.ledgerline.query.projection;

import java.time.Instant;

/** Events as a projector receives them, for the projection tests of every feature package. */
public final class LedgerEvents {

  /** When the event at sequence 0 was stored; each later one a minute after its predecessor. */
  public static final Instant FIRST_STORED = Instant.parse("2026-01-31T12:00:00Z");

  private LedgerEvents() {}

  /**
   * The event at {@code sequence} of {@code aggregateId}: its global position and Kafka offset are
   * 100 plus the sequence, its partition 3.
   */
  public static LedgerEventRecord event(String aggregateId, long sequence, Record event) {
    return new LedgerEventRecord(
        aggregateId + "/" + sequence,
        aggregateId,
        sequence,
        100 + sequence,
        storedAt(sequence),
        event,
        3,
        100 + sequence);
  }

  public static Instant storedAt(long sequence) {
    return FIRST_STORED.plusSeconds(60 * sequence);
  }
}
