package io.ledgerline.query.history;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ledgerline.events.EventWireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Reads the event store (read-only), in commit order, streaming: memory stays constant however many
 * events there are.
 */
@Component
public class EventHistory {

  /** One stored event, decoded. */
  public record StoredEvent(
      long globalPosition,
      String aggregateId,
      long sequence,
      String type,
      Instant timestamp,
      Record event) {}

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final String EVENTS_PACKAGE = "io.ledgerline.events.";
  private static final int FETCH_SIZE = 1_000;

  private final DataSource dataSource;

  EventHistory(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Every event, in global order, to {@code consumer}. */
  public void forEach(Consumer<StoredEvent> consumer) {
    try (Connection connection = dataSource.getConnection()) {
      // A cursor (not one big result) needs a transaction on PostgreSQL.
      connection.setAutoCommit(false);
      try (PreparedStatement query =
          connection.prepareStatement(
              "select global_index, aggregate_identifier, sequence_number, payload_type,"
                  + " time_stamp, payload, payload_revision from domain_event_entry"
                  + " order by global_index")) {
        query.setFetchSize(FETCH_SIZE);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            consumer.accept(
                new StoredEvent(
                    rows.getLong(1),
                    rows.getString(2),
                    rows.getLong(3),
                    simpleName(rows.getString(4)),
                    Instant.parse(rows.getString(5)),
                    decode(rows.getString(4), rows.getString(7), rows.getBytes(6))));
          }
        }
      } finally {
        connection.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the event store", e);
    }
  }

  private static String simpleName(String payloadType) {
    return payloadType.substring(payloadType.lastIndexOf('.') + 1);
  }

  /**
   * Decodes a stored payload of the given type and revision, upcasting older revisions to the
   * current shape first (the same upcasts the command side applies).
   */
  public static Record decode(String payloadType, String revision, byte[] payload) {
    if (!payloadType.startsWith(EVENTS_PACKAGE)) {
      throw new IllegalStateException("not a ledger event: " + payloadType);
    }
    Class<? extends Record> type =
        EventWireFormat.typeFor(simpleName(payloadType))
            .orElseThrow(() -> new IllegalStateException("unknown event type " + payloadType));
    try {
      com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(payload);
      if (type == io.ledgerline.events.TransferFailed.class
          && revision == null
          && tree instanceof com.fasterxml.jackson.databind.node.ObjectNode node) {
        node.put(
            "failureCode",
            io.ledgerline.events.TransferFailed.failureCodeFor(node.path("reason").asText(null)));
      }
      return JSON.treeToValue(tree, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
