package io.ledgerline.command.transfer;

import io.ledgerline.events.TransferCompleted;
import io.ledgerline.events.TransferFailed;
import io.ledgerline.events.TransferRequested;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Where each transfer stands, as the command side knows it, kept in the events' transaction. */
@Component
@ProcessingGroup(TransferStatusTable.PROCESSOR)
class TransferStatusTable {

  static final String PROCESSOR = "transfer-status";

  /**
   * A transfer as the command side knows it.
   *
   * @param status REQUESTED, COMPLETED or FAILED
   * @param stuck whether the transfer's next step is parked in the transfer process's dead-letter
   *     queue: it goes no further until an operator retries it (the status stays as it was)
   * @param stuckReason why it is parked, when it is
   */
  record TransferView(
      String transferId,
      String fromAccountId,
      String toAccountId,
      long amount,
      String currency,
      String reference,
      String status,
      String reason,
      Instant requestedAt,
      Instant updatedAt,
      boolean stuck,
      String stuckReason) {

    /** This transfer, marked as stuck for {@code why}. */
    TransferView markedStuck(String why) {
      return new TransferView(
          transferId,
          fromAccountId,
          toAccountId,
          amount,
          currency,
          reference,
          status,
          reason,
          requestedAt,
          updatedAt,
          true,
          why);
    }
  }

  private final JdbcTemplate jdbc;

  TransferStatusTable(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  Optional<TransferView> find(String transferId) {
    return jdbc
        .query(
            "select * from transfer_status where transfer_id = ?",
            (row, n) ->
                new TransferView(
                    row.getString("transfer_id"),
                    row.getString("from_account_id"),
                    row.getString("to_account_id"),
                    row.getLong("amount"),
                    row.getString("currency"),
                    row.getString("reference"),
                    row.getString("status"),
                    row.getString("reason"),
                    row.getTimestamp("requested_at").toInstant(),
                    row.getTimestamp("updated_at").toInstant(),
                    false,
                    null),
            transferId)
        .stream()
        .findFirst();
  }

  @EventHandler
  void on(TransferRequested event, @org.axonframework.eventhandling.Timestamp Instant at) {
    jdbc.update(
        "insert into transfer_status (transfer_id, from_account_id, to_account_id, amount,"
            + " currency, reference, status, requested_at, updated_at)"
            + " values (?, ?, ?, ?, ?, ?, 'REQUESTED', ?, ?) on conflict (transfer_id) do nothing",
        event.transferId(),
        event.fromAccountId(),
        event.toAccountId(),
        event.amountMinor(),
        event.currency(),
        event.reference(),
        Timestamp.from(at),
        Timestamp.from(at));
  }

  @EventHandler
  void on(TransferCompleted event, @org.axonframework.eventhandling.Timestamp Instant at) {
    jdbc.update(
        "update transfer_status set status = 'COMPLETED', updated_at = ? where transfer_id = ?",
        Timestamp.from(at),
        event.transferId());
  }

  @EventHandler
  void on(TransferFailed event, @org.axonframework.eventhandling.Timestamp Instant at) {
    jdbc.update(
        "update transfer_status set status = 'FAILED', reason = ?, updated_at = ?"
            + " where transfer_id = ?",
        event.reason(),
        Timestamp.from(at),
        event.transferId());
  }
}
