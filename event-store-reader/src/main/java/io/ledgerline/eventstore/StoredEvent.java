package io.ledgerline.eventstore;

import java.time.Instant;

/**
 * One row of {@code domain_event_entry} as stored: the envelope, the raw payload and metadata, and
 * the row's link in its aggregate's hash chain. The arrays are the ones read, not copies: a row is
 * handed to one caller.
 *
 * @param globalPosition {@code global_index}: the position in the store's global order
 * @param eventId {@code event_identifier}
 * @param aggregateType {@code type}: the aggregate's type ({@code Account}), or {@code null}
 * @param aggregateId {@code aggregate_identifier}
 * @param sequence {@code sequence_number}: the position in the aggregate's history, from 0
 * @param timestamp {@code time_stamp}: the ISO-8601 instant exactly as stored (the hash covers it)
 * @param payloadType {@code payload_type}: the event's class name
 * @param payloadRevision {@code payload_revision}, or {@code null} for the first revision
 * @param payload the event's stored JSON
 * @param metadata the metadata's stored JSON, or {@code null}
 * @param hash the row's hash, set by the database (see {@link EventHash})
 */
public record StoredEvent(
    long globalPosition,
    String eventId,
    String aggregateType,
    String aggregateId,
    long sequence,
    String timestamp,
    String payloadType,
    String payloadRevision,
    byte[] payload,
    byte[] metadata,
    byte[] hash) {

  /** The event's simple type name, e.g. {@code FundsDeposited}. */
  public String typeName() {
    return EventDecoder.typeName(payloadType);
  }

  /** When the event was stored. */
  public Instant instant() {
    return Instant.parse(timestamp);
  }

  /**
   * The payload decoded (and upcast) into its {@code shared-events} record, see {@link
   * EventDecoder}.
   */
  public Record event() {
    return EventDecoder.decode(payloadType, payloadRevision, payload);
  }
}
