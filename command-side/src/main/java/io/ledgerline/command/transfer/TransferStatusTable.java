package io.ledgerline.command.transfer;

import io.ledgerline.events.TransferCompleted;
import io.ledgerline.events.TransferFailed;
import io.ledgerline.events.TransferRequested;
import io.ledgerline.eventstore.personaldata.PersonalData;
import io.swagger.v3.oas.annotations.media.Schema;
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
   * @param reference as stored (sealed) until {@link #readable} opened it for an answer
   */
  record TransferView(
      @Schema(example = "9a3e4c1b-7f2d-4b8e-8c6a-1d5f0e2b3c4d") String transferId,
      @Schema(example = "0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f") String fromAccountId,
      @Schema(example = "6c1f0d7e-8b1a-4e0b-a6f2-5d3c9e7b1a20") String toAccountId,
      @Schema(description = "Minor units", example = "500") long amount,
      @Schema(example = "EUR") String currency,
      @Schema(
              description = "The client's reference; null when there is none or it was erased",
              example = "rent")
          String reference,
      @Schema(
              description =
                  "True when the reference was erased with its owner's personal data: it can"
                      + " never be read again",
              example = "false")
          boolean referenceErased,
      @Schema(
              allowableValues = {"REQUESTED", "COMPLETED", "FAILED"},
              example = "COMPLETED")
          String status,
      @Schema(description = "Why it failed, when it did") String reason,
      @Schema(example = "2026-01-15T09:30:00Z") Instant requestedAt,
      @Schema(example = "2026-01-15T09:30:01Z") Instant updatedAt,
      @Schema(example = "false") boolean stuck,
      @Schema(description = "Why it is stuck, when it is") String stuckReason) {

    /** This transfer, marked as stuck for {@code why}. */
    TransferView markedStuck(String why) {
      return new TransferView(
          transferId,
          fromAccountId,
          toAccountId,
          amount,
          currency,
          reference,
          referenceErased,
          status,
          reason,
          requestedAt,
          updatedAt,
          true,
          why);
    }

    /** This transfer with its reference as {@code opened} from the stored, sealed one. */
    TransferView readable(PersonalData.Opened opened) {
      return new TransferView(
          transferId,
          fromAccountId,
          toAccountId,
          amount,
          currency,
          opened.value(),
          opened.erased(),
          status,
          reason,
          requestedAt,
          updatedAt,
          stuck,
          stuckReason);
    }
  }

  private final JdbcTemplate jdbc;
  private final TransferSignals signals;

  TransferStatusTable(JdbcTemplate jdbc, TransferSignals signals) {
    this.jdbc = jdbc;
    this.signals = signals;
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
                    false,
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
    signals.signalAfterCommit(event.transferId());
  }

  @EventHandler
  void on(TransferFailed event, @org.axonframework.eventhandling.Timestamp Instant at) {
    jdbc.update(
        "update transfer_status set status = 'FAILED', reason = ?, updated_at = ?"
            + " where transfer_id = ?",
        event.reason(),
        Timestamp.from(at),
        event.transferId());
    signals.signalAfterCommit(event.transferId());
  }
}
