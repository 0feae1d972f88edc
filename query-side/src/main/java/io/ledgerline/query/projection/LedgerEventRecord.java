package io.ledgerline.query.projection;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ledgerline.events.EventWireFormat;
import io.ledgerline.eventstore.StoredEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One event as received from Kafka: the envelope from the headers and the decoded event record.
 *
 * @param eventId the event's unique id
 * @param aggregateId the aggregate's id (the record key)
 * @param sequence the event's sequence number within its aggregate
 * @param globalPosition the event's position in the store's global order
 * @param timestamp when the event was stored
 * @param event the decoded event, one of the records in {@code io.ledgerline.events}
 * @param partition the Kafka partition it was read from
 * @param offset its offset in that partition
 */
public record LedgerEventRecord(
    String eventId,
    String aggregateId,
    long sequence,
    long globalPosition,
    Instant timestamp,
    Record event,
    int partition,
    long offset) {

  /** Tolerant of fields added to events later: an older reader ignores what it does not know. */
  private static final ObjectMapper EVENT_JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * Decodes a Kafka record.
   *
   * @throws UndecodableEventException when the headers or the payload are not ours
   */
  public static LedgerEventRecord decode(ConsumerRecord<String, byte[]> record) {
    try {
      String type = header(record, EventWireFormat.EVENT_TYPE);
      Class<? extends Record> eventType =
          EventWireFormat.typeFor(type)
              .orElseThrow(() -> new UndecodableEventException("unknown event type " + type));
      return new LedgerEventRecord(
          header(record, EventWireFormat.EVENT_ID),
          record.key(),
          Long.parseLong(header(record, EventWireFormat.SEQUENCE)),
          Long.parseLong(header(record, EventWireFormat.GLOBAL_POSITION)),
          Instant.parse(header(record, EventWireFormat.TIMESTAMP)),
          EVENT_JSON.readValue(record.value(), eventType),
          record.partition(),
          record.offset());
    } catch (IOException | RuntimeException e) {
      if (e instanceof UndecodableEventException undecodable) {
        throw undecodable;
      }
      throw new UndecodableEventException(
          "cannot decode record at "
              + record.topic()
              + "-"
              + record.partition()
              + "@"
              + record.offset(),
          e);
    }
  }

  /**
   * An event as read from the event store (a rebuild, the live feed). It has no Kafka position:
   * partition and offset are -1.
   */
  public static LedgerEventRecord fromStore(StoredEvent row) {
    return new LedgerEventRecord(
        row.eventId(),
        row.aggregateId(),
        row.sequence(),
        row.globalPosition(),
        row.instant(),
        row.event(),
        -1,
        -1);
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    if (header == null) {
      throw new UndecodableEventException("missing header " + name);
    }
    return new String(header.value(), StandardCharsets.UTF_8);
  }
}
