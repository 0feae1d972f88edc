package io.ledgerline.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** How the reader holds its cursor and bounds the global order, against a mocked JDBC driver. */
class EventStoreReaderTest {

  private final DataSource dataSource = mock(DataSource.class);
  private final Connection connection = mock(Connection.class);
  private final Statement settledQuery = mock(Statement.class);
  private final ResultSet settledRow = mock(ResultSet.class);
  private final PreparedStatement query = mock(PreparedStatement.class);
  private final ResultSet rows = mock(ResultSet.class);
  private final EventStoreReader testSubject = new EventStoreReader(dataSource);

  @BeforeEach
  void driver() throws SQLException {
    when(dataSource.getConnection()).thenReturn(connection);
    when(connection.getAutoCommit()).thenReturn(true);
    when(connection.createStatement()).thenReturn(settledQuery);
    when(settledQuery.executeQuery("select ledgerline_settled_position()")).thenReturn(settledRow);
    when(settledRow.next()).thenReturn(true);
    when(settledRow.getLong(1)).thenReturn(41L);
    when(connection.prepareStatement(anyString())).thenReturn(query);
    when(query.executeQuery()).thenReturn(rows);
  }

  @Test
  void aPageOfTheGlobalOrderStopsAtTheSettledPositionReadBeforeTheRows() throws SQLException {
    rowsAtPositions(40, 41);

    List<StoredEvent> page = testSubject.settledPage(39, TimeWindow.ALL, 10);

    assertThat(page).extracting(StoredEvent::globalPosition).containsExactly(40L, 41L);
    InOrder order = inOrder(settledQuery, connection, query);
    order.verify(settledQuery).executeQuery("select ledgerline_settled_position()");
    order.verify(connection).setAutoCommit(false);
    order
        .verify(connection)
        .prepareStatement(
            "select global_index, event_identifier, type, aggregate_identifier, sequence_number,"
                + " time_stamp, payload_type, payload_revision, payload, meta_data, hash"
                + " from domain_event_entry where global_index > ? and global_index <= ?"
                + " order by global_index limit ?");
    order.verify(query).setFetchSize(EventStoreReader.FETCH_SIZE);
    order.verify(query).setObject(1, 39L);
    order.verify(query).setObject(2, 41L);
    order.verify(query).setObject(3, 10);
    order.verify(connection).rollback();
    order.verify(connection).setAutoCommit(true);
    order.verify(connection).close();
  }

  @Test
  void aStreamEndsWhereItsVisitorStops() throws SQLException {
    rowsAtPositions(40, 41, 42);
    List<Long> seen = new ArrayList<>();

    long settled =
        testSubject.streamSettled(
            0,
            TimeWindow.ALL,
            row -> {
              seen.add(row.globalPosition());
              return seen.size() < 2;
            });

    assertThat(seen).containsExactly(40L, 41L);
    assertThat(settled).isEqualTo(41);
    verify(connection).rollback();
  }

  @Test
  void aVisitorsFailurePassesThroughAndTheCursorIsStillReleased() throws SQLException {
    rowsAtPositions(40);

    assertThatThrownBy(
            () ->
                testSubject.streamSettled(
                    0,
                    TimeWindow.ALL,
                    row -> {
                      throw new IOException("client went away");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("client went away");
    verify(connection).rollback();
    verify(connection).close();
  }

  @Test
  void aDatabaseFailureIsReportedAsAnUnreadableStore() throws SQLException {
    SQLException down = new SQLException("connection refused", "08001");
    when(dataSource.getConnection()).thenThrow(down);

    assertThatThrownBy(() -> testSubject.streamAggregate("acc-1", row -> true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot read the event store")
        .hasCause(down);
  }

  @Test
  void insideASpringTransactionTheStreamJoinsIt() throws SQLException {
    rowsAtPositions(40);
    when(connection.getAutoCommit()).thenReturn(false);
    TransactionSynchronizationManager.bindResource(dataSource, new ConnectionHolder(connection));
    try {
      testSubject.streamHashes(0, 41, 50_000, row -> true);
    } finally {
      TransactionSynchronizationManager.unbindResource(dataSource);
    }

    verify(query).setObject(3, 50_000);
    verify(connection, never()).setAutoCommit(false);
    verify(connection, never()).rollback();
    verify(connection, never()).close();
  }

  /** The rows query answers one row per position. */
  private void rowsAtPositions(long... positions) throws SQLException {
    int[] at = {-1};
    when(rows.next()).thenAnswer(invocation -> ++at[0] < positions.length);
    when(rows.getLong(1)).thenAnswer(invocation -> positions[at[0]]);
    when(rows.getString(4)).thenReturn("acc-1");
    when(rows.getString(7)).thenReturn("io.ledgerline.events.FundsDeposited");
  }
}
