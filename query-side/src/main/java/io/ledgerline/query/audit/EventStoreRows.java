package io.ledgerline.query.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Streams rows of the event store through a server-side cursor, so any range is read in constant
 * memory. The connection is read-only.
 */
@Component
class EventStoreRows {

  /** Handles one row; may stop the stream by returning false. */
  interface RowHandler {
    boolean handle(ResultSet row) throws Exception;
  }

  /** The columns every audit read selects. */
  static final String COLUMNS =
      "global_index, aggregate_identifier, sequence_number, type, payload_type, payload_revision,"
          + " time_stamp, payload, meta_data, hash";

  /**
   * Only rows at or below the settled position (a parameter, see {@link #settledPosition()}): a
   * late commit can never be skipped.
   */
  static final String SETTLED = "global_index <= ?";

  private static final int FETCH_SIZE = 1_000;

  private final DataSource dataSource;

  EventStoreRows(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * The position below which no transaction in flight can still commit (command side's migration
   * V6). Read before the rows, in a statement of its own, so their snapshot sees all of them.
   */
  long settledPosition() {
    try (Connection connection = dataSource.getConnection();
        var statement = connection.createStatement();
        var row = statement.executeQuery("select ledgerline_settled_position()")) {
      row.next();
      return row.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the event store", e);
    }
  }

  void stream(String sql, Object[] parameters, RowHandler handler) throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement query = connection.prepareStatement(sql)) {
        query.setFetchSize(FETCH_SIZE);
        for (int i = 0; i < parameters.length; i++) {
          query.setObject(i + 1, parameters[i]);
        }
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            if (!handler.handle(rows)) {
              break;
            }
          }
        }
      } finally {
        connection.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the event store", e);
    }
  }
}
