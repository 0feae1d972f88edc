package io.ledgerline.eventstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Reads the event store ({@code domain_event_entry}) and its signed checkpoints ({@code
 * audit_checkpoint}), never writes: every read of stored events outside Axon goes through here.
 *
 * <p>Streams hold a server-side cursor ({@value #FETCH_SIZE} rows a round trip) inside a
 * transaction that is rolled back, so any range is read in constant memory. Inside a Spring-managed
 * transaction on the same data source (the checkpoint writer's), every read joins it instead.
 *
 * <p>Reads of the global order are gap-safe: they stop at {@link #settledPosition()}, below which
 * no transaction in flight can still commit (the command side's migration V6), read in a statement
 * of its own before the rows, so that the rows' snapshot sees every settled event and a late commit
 * is never skipped.
 *
 * <p>A failure to read is an {@link IllegalStateException} whose cause is the {@link SQLException}
 * (or a Spring {@code DataAccessException} for the single-row reads); what a visitor throws passes
 * through unchanged.
 */
public class EventStoreReader {

  /** Rows fetched per round trip of a cursor. */
  public static final int FETCH_SIZE = 1_000;

  /** For {@link #streamHashes}: no limit. */
  public static final int UNLIMITED = 0;

  private static final String EVENTS =
      "select global_index, event_identifier, type, aggregate_identifier, sequence_number,"
          + " time_stamp, payload_type, payload_revision, payload, meta_data, hash"
          + " from domain_event_entry";

  private static final String PAYLOADS =
      "select global_index, aggregate_identifier, sequence_number, payload_type,"
          + " payload_revision, payload from domain_event_entry";

  private static final String CHECKPOINTS =
      "select id, up_to_global_index, event_count, running_hash, signature, created_at"
          + " from audit_checkpoint";

  private static final RowMapper<Checkpoint> CHECKPOINT =
      (row, n) ->
          new Checkpoint(
              row.getLong(1),
              row.getLong(2),
              row.getLong(3),
              row.getBytes(4),
              row.getBytes(5),
              row.getTimestamp(6).toInstant());

  private final DataSource dataSource;
  private final JdbcTemplate jdbc;

  public EventStoreReader(DataSource dataSource) {
    this.dataSource = dataSource;
    this.jdbc = new JdbcTemplate(dataSource);
  }

  /**
   * The position below which no transaction in flight can still commit: {@code
   * ledgerline_settled_position()}. A later statement sees every event up to it.
   */
  public long settledPosition() {
    Long settled = jdbc.queryForObject("select ledgerline_settled_position()", Long.class);
    return settled == null ? 0 : settled;
  }

  // One aggregate.

  /**
   * A page of one aggregate's events: at most {@code limit} after sequence number {@code
   * afterSequence} ({@code -1} for its first), in sequence order.
   */
  public List<StoredEvent> aggregatePage(String aggregateId, long afterSequence, int limit) {
    List<StoredEvent> page = new ArrayList<>();
    stream(
        EVENTS
            + " where aggregate_identifier = ? and sequence_number > ?"
            + " order by sequence_number limit ?",
        false,
        settled -> new Object[] {aggregateId, afterSequence, limit},
        EventStoreReader::storedEvent,
        page::add);
    return page;
  }

  /** One aggregate's events in sequence order, until {@code visitor} stops. */
  public <X extends Exception> void streamAggregate(
      String aggregateId, RowVisitor<StoredEvent, X> visitor) throws X {
    stream(
        EVENTS + " where aggregate_identifier = ? order by sequence_number",
        false,
        settled -> new Object[] {aggregateId},
        EventStoreReader::storedEvent,
        visitor);
  }

  // The global order, gap-safe.

  /**
   * A page of the global order: at most {@code limit} settled events after position {@code
   * afterPosition}, stored within {@code window}, in position order.
   */
  public List<StoredEvent> settledPage(long afterPosition, TimeWindow window, int limit) {
    List<StoredEvent> page = new ArrayList<>();
    stream(
        global(window, true),
        true,
        settled -> globalParameters(afterPosition, settled, window, limit),
        EventStoreReader::storedEvent,
        page::add);
    return page;
  }

  /**
   * Every settled event after position {@code afterPosition}, stored within {@code window}, in
   * position order, until {@code visitor} stops.
   *
   * @return the settled position the stream stopped at (or before)
   */
  public <X extends Exception> long streamSettled(
      long afterPosition, TimeWindow window, RowVisitor<StoredEvent, X> visitor) throws X {
    return stream(
        global(window, false),
        true,
        settled -> globalParameters(afterPosition, settled, window, null),
        EventStoreReader::storedEvent,
        visitor);
  }

  /**
   * The payloads of every event at or below {@code upTo}, a position the caller already knows to be
   * settled (one a settled stream returned), in position order.
   */
  public <X extends Exception> void streamPayloadsUpTo(
      long upTo, RowVisitor<StoredPayload, X> visitor) throws X {
    stream(
        PAYLOADS + " where global_index <= ? order by global_index",
        false,
        settled -> new Object[] {upTo},
        EventStoreReader::storedPayload,
        visitor);
  }

  // Every aggregate.

  /**
   * Every event, one aggregate after another (in the database's order of ids, along its unique
   * index), each aggregate's in sequence order. Not bounded by the settled position: it checks
   * everything stored.
   */
  public <X extends Exception> void streamEveryAggregate(RowVisitor<StoredEvent, X> visitor)
      throws X {
    stream(
        EVENTS + " order by aggregate_identifier, sequence_number",
        false,
        settled -> new Object[0],
        EventStoreReader::storedEvent,
        visitor);
  }

  /**
   * The payloads of every settled event, one aggregate after another in the code-point order of its
   * id (that of {@code collate "C"} and of an Elasticsearch keyword sort), each aggregate's in
   * sequence order.
   *
   * @return the settled position the stream is bounded by
   */
  public <X extends Exception> long streamSettledPayloadsInIdOrder(
      RowVisitor<StoredPayload, X> visitor) throws X {
    return stream(
        PAYLOADS
            + " where global_index <= ? order by aggregate_identifier collate \"C\","
            + " sequence_number",
        true,
        settled -> new Object[] {settled},
        EventStoreReader::storedPayload,
        visitor);
  }

  /**
   * The highest position stored, settled or not ({@code 0} for an empty store): the head that
   * processors and the checkpoint sealer work towards.
   */
  public long lastPosition() {
    Long last =
        jdbc.queryForObject(
            "select coalesce(max(global_index), 0) from domain_event_entry", Long.class);
    return last == null ? 0 : last;
  }

  /** How many events are stored. */
  public long countEvents() {
    Long count = jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
    return count == null ? 0 : count;
  }

  // Hashes and checkpoints.

  /**
   * The hashes of the events after {@code afterPosition} ({@link Long#MIN_VALUE} for all) and at or
   * below {@code upTo}, in position order: at most {@code limit} of them, or all for {@link
   * #UNLIMITED}.
   */
  public <X extends Exception> void streamHashes(
      long afterPosition, long upTo, int limit, RowVisitor<PositionedHash, X> visitor) throws X {
    stream(
        "select global_index, hash from domain_event_entry where global_index > ?"
            + " and global_index <= ? order by global_index"
            + (limit == UNLIMITED ? "" : " limit ?"),
        false,
        settled ->
            limit == UNLIMITED
                ? new Object[] {afterPosition, upTo}
                : new Object[] {afterPosition, upTo, limit},
        row -> new PositionedHash(row.getLong(1), row.getBytes(2)),
        visitor);
  }

  /** Every signed checkpoint, in the order they were written. */
  public List<Checkpoint> checkpoints() {
    return jdbc.query(CHECKPOINTS + " order by id", CHECKPOINT);
  }

  /** The last checkpoint written, if any. */
  public Optional<Checkpoint> lastCheckpoint() {
    return jdbc.query(CHECKPOINTS + " order by id desc limit 1", CHECKPOINT).stream().findFirst();
  }

  private static String global(TimeWindow window, boolean limited) {
    return EVENTS
        + " where global_index > ? and global_index <= ?"
        + (window.from() != null ? " and time_stamp::timestamptz >= ?" : "")
        + (window.to() != null ? " and time_stamp::timestamptz < ?" : "")
        + " order by global_index"
        + (limited ? " limit ?" : "");
  }

  private static Object[] globalParameters(
      long afterPosition, long settled, TimeWindow window, Integer limit) {
    List<Object> parameters = new ArrayList<>();
    parameters.add(afterPosition);
    parameters.add(settled);
    if (window.from() != null) {
      parameters.add(Timestamp.from(window.from()));
    }
    if (window.to() != null) {
      parameters.add(Timestamp.from(window.to()));
    }
    if (limit != null) {
      parameters.add(limit);
    }
    return parameters.toArray();
  }

  private interface Mapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  /**
   * Runs one query through a cursor, handing each row to {@code visitor}; when {@code
   * settledFirst}, reads the settled position first (handed to {@code parameters}) and returns it.
   */
  private <T, X extends Exception> long stream(
      String sql,
      boolean settledFirst,
      LongFunction<Object[]> parameters,
      Mapper<T> mapper,
      RowVisitor<T, X> visitor)
      throws X {
    try {
      Connection connection = DataSourceUtils.doGetConnection(dataSource);
      try {
        // In a statement of its own, before the rows: their snapshot then sees every settled event.
        long settled = settledFirst ? settledPosition(connection) : -1;
        boolean ownTransaction = !DataSourceUtils.isConnectionTransactional(connection, dataSource);
        boolean autoCommit = connection.getAutoCommit();
        if (ownTransaction) {
          // A cursor (not one big result) needs a transaction on PostgreSQL.
          connection.setAutoCommit(false);
        }
        try (PreparedStatement query = connection.prepareStatement(sql)) {
          query.setFetchSize(FETCH_SIZE);
          Object[] values = parameters.apply(settled);
          for (int i = 0; i < values.length; i++) {
            query.setObject(i + 1, values[i]);
          }
          try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              if (!visitor.visit(mapper.map(rows))) {
                break;
              }
            }
          }
        } finally {
          if (ownTransaction) {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
          }
        }
        return settled;
      } finally {
        DataSourceUtils.doReleaseConnection(connection, dataSource);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the event store", e);
    }
  }

  private static long settledPosition(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("select ledgerline_settled_position()")) {
      row.next();
      return row.getLong(1);
    }
  }

  private static StoredEvent storedEvent(ResultSet row) throws SQLException {
    return new StoredEvent(
        row.getLong(1),
        row.getString(2),
        row.getString(3),
        row.getString(4),
        row.getLong(5),
        row.getString(6),
        row.getString(7),
        row.getString(8),
        row.getBytes(9),
        row.getBytes(10),
        row.getBytes(11));
  }

  private static StoredPayload storedPayload(ResultSet row) throws SQLException {
    return new StoredPayload(
        row.getLong(1),
        row.getString(2),
        row.getLong(3),
        row.getString(4),
        row.getString(5),
        row.getBytes(6));
  }
}
