package io.ledgerline.command.topup;

import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.TopUpFailed;
import io.ledgerline.events.TopUpIntentCreated;
import io.ledgerline.events.TopUpRequested;
import io.ledgerline.events.TopUpSucceeded;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Where each top-up stands, as the command side knows it ({@code top_up_status}), kept in the
 * transaction of the events that change it: the top-up's own, and the deposit that credits it.
 */
@Component
@ProcessingGroup(TopUpStatusTable.PROCESSOR)
class TopUpStatusTable implements KnownTopUps {

  static final String PROCESSOR = "top-up-status";

  /** One top-up as the table holds it. */
  record Row(
      String topUpId,
      String accountId,
      long amount,
      String currency,
      TopUpStatus status,
      String intentId,
      String failureCode,
      Instant requestedAt,
      Instant updatedAt,
      Instant creditedAt) {}

  private final JdbcTemplate jdbc;

  TopUpStatusTable(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public boolean exists(String topUpId) {
    return find(topUpId).isPresent();
  }

  Optional<Row> find(String topUpId) {
    return jdbc
        .query("select * from top_up_status where top_up_id = ?", TopUpStatusTable::row, topUpId)
        .stream()
        .findFirst();
  }

  private static Row row(ResultSet row, int n) throws SQLException {
    Timestamp credited = row.getTimestamp("credited_at");
    return new Row(
        row.getString("top_up_id"),
        row.getString("account_id"),
        row.getLong("amount"),
        row.getString("currency"),
        TopUpStatus.valueOf(row.getString("status")),
        row.getString("intent_id"),
        row.getString("failure_code"),
        row.getTimestamp("requested_at").toInstant(),
        row.getTimestamp("updated_at").toInstant(),
        credited == null ? null : credited.toInstant());
  }

  @EventHandler
  void on(TopUpRequested event, @org.axonframework.eventhandling.Timestamp Instant at) {
    jdbc.update(
        "insert into top_up_status (top_up_id, account_id, amount, currency, status,"
            + " requested_at, updated_at) values (?, ?, ?, ?, 'REQUESTED', ?, ?)"
            + " on conflict (top_up_id) do nothing",
        event.topUpId(),
        event.accountId(),
        event.amountMinor(),
        event.currency(),
        Timestamp.from(at),
        Timestamp.from(at));
  }

  @EventHandler
  void on(TopUpIntentCreated event, @org.axonframework.eventhandling.Timestamp Instant at) {
    jdbc.update(
        "update top_up_status set intent_id = ?, updated_at = ?,"
            + " status = case when status = 'REQUESTED' then 'AWAITING_PAYMENT' else status end"
            + " where top_up_id = ?",
        event.intentId(),
        Timestamp.from(at),
        event.topUpId());
  }

  @EventHandler
  void on(TopUpSucceeded event, @org.axonframework.eventhandling.Timestamp Instant at) {
    jdbc.update(
        "update top_up_status set status = 'SUCCEEDED', intent_id = ?, failure_code = null,"
            + " updated_at = ? where top_up_id = ?",
        event.intentId(),
        Timestamp.from(at),
        event.topUpId());
  }

  @EventHandler
  void on(TopUpFailed event, @org.axonframework.eventhandling.Timestamp Instant at) {
    jdbc.update(
        "update top_up_status set status = 'FAILED', intent_id = coalesce(?, intent_id),"
            + " failure_code = ?, updated_at = ? where top_up_id = ?",
        event.intentId(),
        event.failureCode(),
        Timestamp.from(at),
        event.topUpId());
  }

  /** The account's credit of a top-up, in the deposit's own transaction. */
  @EventHandler
  void on(FundsDeposited event, @org.axonframework.eventhandling.Timestamp Instant at) {
    if (event.topUpId() != null) {
      jdbc.update(
          "update top_up_status set credited_at = coalesce(credited_at, ?) where top_up_id = ?",
          Timestamp.from(at),
          event.topUpId());
    }
  }
}
