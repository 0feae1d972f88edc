package io.ledgerline.command.deadletter;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads the parked events of the command side's processors ({@code dead_letter_entry}): what is
 * parked, why, since when and how often it failed. Axon's queue writes the table; this only reads.
 */
@Component
public class DeadLetters {

  /**
   * The first parked letter of a sequence: the event that failed, holding the rest back.
   *
   * @param causeType the class of the failure
   * @param causeMessage its message, or {@code null}
   * @param enqueuedAt when the event was parked
   */
  public record Parked(String causeType, String causeMessage, Instant enqueuedAt) {

    /** The failure in one line: its simple class name, then its message. */
    public String reason() {
      String type =
          causeType == null
              ? "unknown failure"
              : causeType.substring(causeType.lastIndexOf('.') + 1);
      return causeMessage == null ? type : type + ": " + causeMessage;
    }
  }

  /** One parked event, as operators list it. */
  record Letter(
      String processor,
      String sequenceIdentifier,
      long sequenceIndex,
      String eventId,
      String type,
      String aggregateId,
      String causeType,
      String causeMessage,
      Instant enqueuedAt,
      Instant lastTouched,
      int attempts) {}

  /** How much a processor has parked: letters in all, and sequences they hold back. */
  record Counts(long letters, long sequences) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JdbcTemplate jdbc;

  DeadLetters(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The letter at the head of a parked sequence, if the sequence is parked: one lookup on the
   * table's unique (processor, sequence, index) key.
   */
  public Optional<Parked> parked(String processor, String sequenceIdentifier) {
    return jdbc
        .query(
            "select cause_type, cause_message, enqueued_at from dead_letter_entry"
                + " where processing_group = ? and sequence_identifier = ?"
                + " order by sequence_index limit 1",
            (row, n) ->
                new Parked(
                    row.getString("cause_type"),
                    row.getString("cause_message"),
                    instant(row.getString("enqueued_at"))),
            processor,
            sequenceIdentifier)
        .stream()
        .findFirst();
  }

  Counts counts(String processor) {
    return jdbc.queryForObject(
        "select count(*), count(distinct sequence_identifier) from dead_letter_entry"
            + " where processing_group = ?",
        (row, n) -> new Counts(row.getLong(1), row.getLong(2)),
        processor);
  }

  /** A page of a processor's letters, oldest first, each sequence in its order. */
  List<Letter> page(String processor, int page, int size) {
    return jdbc.query(
        "select processing_group, sequence_identifier, sequence_index, event_identifier,"
            + " payload_type, aggregate_identifier, cause_type, cause_message, enqueued_at,"
            + " last_touched, diagnostics from dead_letter_entry where processing_group = ?"
            + " order by enqueued_at, sequence_identifier, sequence_index limit ? offset ?",
        (row, n) -> letter(row),
        processor,
        size,
        (long) page * size);
  }

  private static Letter letter(ResultSet row) throws SQLException {
    String payloadType = row.getString("payload_type");
    return new Letter(
        row.getString("processing_group"),
        row.getString("sequence_identifier"),
        row.getLong("sequence_index"),
        row.getString("event_identifier"),
        payloadType.substring(payloadType.lastIndexOf('.') + 1),
        row.getString("aggregate_identifier"),
        row.getString("cause_type"),
        row.getString("cause_message"),
        instant(row.getString("enqueued_at")),
        instant(row.getString("last_touched")),
        attempts(row.getBytes("diagnostics")));
  }

  /** The failed attempts that {@link DeadLetterPolicy} counts in a letter's diagnostics (JSON). */
  static int attempts(byte[] diagnostics) {
    if (diagnostics == null) {
      return 0;
    }
    try {
      return JSON.readTree(diagnostics).path(DeadLetterPolicy.ATTEMPTS).asInt(0);
    } catch (IOException unreadable) {
      // Diagnostics only inform: a letter whose count cannot be read still lists, with none.
      return 0;
    }
  }

  private static Instant instant(String value) {
    return value == null ? null : Instant.parse(value);
  }
}
