package io.ledgerline.query.audit;

import io.ledgerline.events.AccountClosed;
import io.ledgerline.events.AccountFrozen;
import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.AccountUnfrozen;
import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.FundsWithdrawn;
import io.ledgerline.events.TransferCompleted;
import io.ledgerline.events.TransferCredited;
import io.ledgerline.events.TransferDebitReversed;
import io.ledgerline.events.TransferDebited;
import io.ledgerline.events.TransferFailed;
import io.ledgerline.events.TransferRequested;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import io.ledgerline.query.api.NotFoundException;
import io.ledgerline.query.history.EventHistory;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** An aggregate as it was at a past moment or version, folded from the event store alone. */
@Component
class HistoricalState {

  /** A point in an aggregate's history: a moment, or a version (sequence number). */
  record Point(Instant at, Long version) {
    static Point of(String at, Long version) {
      if ((at == null) == (version == null)) {
        throw new InvalidParameterException("at", "or version: give exactly one of them");
      }
      if (version != null && version < 0) {
        throw new InvalidParameterException("version", "must be 0 or more");
      }
      try {
        return new Point(at == null ? null : Instant.parse(at), version);
      } catch (DateTimeParseException e) {
        throw new InvalidParameterException("at", "must be an ISO-8601 instant");
      }
    }

    boolean includes(long sequence, Instant timestamp) {
      return version != null ? sequence <= version : !timestamp.isAfter(at);
    }
  }

  private final EventStoreRows rows;

  HistoricalState(EventStoreRows rows) {
    this.rows = rows;
  }

  Map<String, Object> account(String accountId, Point point) throws Exception {
    Map<String, Object> state = new LinkedHashMap<>();
    long[] balance = {0};
    fold(
        accountId,
        point,
        (event, sequence, timestamp) -> {
          if (event instanceof AccountOpened e) {
            state.put("accountId", e.accountId());
            state.put("ownerId", e.ownerId());
            state.put("currency", e.currency());
            state.put("overdraftLimit", e.overdraftLimitMinor());
            state.put("status", "OPEN");
            state.put("openedAt", timestamp.toString());
          } else if (event instanceof FundsDeposited e) {
            balance[0] += e.amountMinor();
          } else if (event instanceof FundsWithdrawn e) {
            balance[0] -= e.amountMinor();
          } else if (event instanceof TransferDebited e) {
            balance[0] -= e.amountMinor();
          } else if (event instanceof TransferCredited e) {
            balance[0] += e.amountMinor();
          } else if (event instanceof TransferDebitReversed e) {
            balance[0] += e.amountMinor();
          } else if (event instanceof AccountFrozen) {
            state.put("status", "FROZEN");
          } else if (event instanceof AccountUnfrozen) {
            state.put("status", "OPEN");
          } else if (event instanceof AccountClosed) {
            state.put("status", "CLOSED");
          }
          state.put("balance", balance[0]);
          state.put("version", sequence);
          state.put("asOf", timestamp.toString());
        });
    if (state.isEmpty()) {
      throw new NotFoundException("account " + accountId + " did not exist at that point");
    }
    return state;
  }

  Map<String, Object> transfer(String transferId, Point point) throws Exception {
    Map<String, Object> state = new LinkedHashMap<>();
    fold(
        transferId,
        point,
        (event, sequence, timestamp) -> {
          if (event instanceof TransferRequested e) {
            state.put("transferId", e.transferId());
            state.put("fromAccountId", e.fromAccountId());
            state.put("toAccountId", e.toAccountId());
            state.put("amount", e.amountMinor());
            state.put("currency", e.currency());
            state.put("status", "REQUESTED");
          } else if (event instanceof TransferCompleted) {
            state.put("status", "COMPLETED");
          } else if (event instanceof TransferFailed e) {
            state.put("status", "FAILED");
            state.put("reason", e.reason());
            state.put("failureCode", e.failureCode());
          }
          state.put("version", sequence);
          state.put("asOf", timestamp.toString());
        });
    if (state.isEmpty()) {
      throw new NotFoundException("transfer " + transferId + " did not exist at that point");
    }
    return state;
  }

  private interface Step {
    void apply(Record event, long sequence, Instant timestamp);
  }

  private void fold(String aggregateId, Point point, Step step) throws Exception {
    rows.stream(
        "select payload_type, payload_revision, payload, sequence_number, time_stamp"
            + " from domain_event_entry"
            + " where aggregate_identifier = ? order by sequence_number",
        new Object[] {aggregateId},
        row -> {
          long sequence = row.getLong("sequence_number");
          Instant timestamp = Instant.parse(row.getString("time_stamp"));
          if (!point.includes(sequence, timestamp)) {
            return false;
          }
          step.apply(
              EventHistory.decode(
                  row.getString("payload_type"),
                  row.getString("payload_revision"),
                  row.getBytes("payload")),
              sequence,
              timestamp);
          return true;
        });
  }
}
