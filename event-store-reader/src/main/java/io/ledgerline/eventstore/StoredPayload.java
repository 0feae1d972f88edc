package io.ledgerline.eventstore;

/**
 * The part of a stored event that folds need, and no more: streams that read the whole store
 * (reconciliation, rebuild parity) select only these columns.
 *
 * @param globalPosition {@code global_index}: the position in the store's global order
 * @param aggregateId {@code aggregate_identifier}
 * @param sequence {@code sequence_number}: the position in the aggregate's history, from 0
 * @param payloadType {@code payload_type}: the event's class name
 * @param payloadRevision {@code payload_revision}, or {@code null} for the first revision
 * @param payload the event's stored JSON
 */
public record StoredPayload(
    long globalPosition,
    String aggregateId,
    long sequence,
    String payloadType,
    String payloadRevision,
    byte[] payload) {

  /**
   * The payload decoded (and upcast) into its {@code shared-events} record, see {@link
   * EventDecoder}.
   */
  public Record event() {
    return EventDecoder.decode(payloadType, payloadRevision, payload);
  }
}
