package io.ledgerline.query.audit;

import io.ledgerline.events.AccountEvent;
import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.TransferEvent;
import io.ledgerline.events.fold.AccountState;
import io.ledgerline.events.fold.TransferState;
import io.ledgerline.eventstore.EventStoreReader;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import io.ledgerline.query.api.NotFoundException;
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

  private final EventStoreReader store;

  HistoricalState(EventStoreReader store) {
    this.store = store;
  }

  Map<String, Object> account(String accountId, Point point) {
    AccountState[] state = {null};
    Instant[] openedAt = {null};
    History history =
        fold(
            accountId,
            point,
            (event, sequence, timestamp) -> {
              if (event instanceof AccountEvent e) {
                state[0] = AccountState.fold(state[0], e, sequence);
              }
              if (event instanceof AccountOpened) {
                openedAt[0] = timestamp;
              }
            });
    if (history == null) {
      throw new NotFoundException("account " + accountId + " did not exist at that point");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    AccountState account = state[0];
    if (account != null) {
      map.put("accountId", account.accountId());
      map.put("ownerId", account.ownerId());
      map.put("currency", account.currency());
      map.put("overdraftLimit", account.overdraftLimitMinor());
      map.put("status", account.status().name());
      map.put("openedAt", openedAt[0].toString());
    }
    map.put("balance", account == null ? 0L : account.balanceMinor());
    map.put("version", history.version());
    map.put("asOf", history.asOf().toString());
    return map;
  }

  Map<String, Object> transfer(String transferId, Point point) {
    TransferState[] state = {null};
    History history =
        fold(
            transferId,
            point,
            (event, sequence, timestamp) -> {
              if (event instanceof TransferEvent e) {
                state[0] = TransferState.fold(state[0], e, sequence);
              }
            });
    if (history == null) {
      throw new NotFoundException("transfer " + transferId + " did not exist at that point");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    TransferState transfer = state[0];
    if (transfer != null) {
      map.put("transferId", transfer.transferId());
      map.put("fromAccountId", transfer.fromAccountId());
      map.put("toAccountId", transfer.toAccountId());
      map.put("amount", transfer.amountMinor());
      map.put("currency", transfer.currency());
      map.put("status", transfer.status().name());
    }
    map.put("version", history.version());
    map.put("asOf", history.asOf().toString());
    if (transfer != null && transfer.status() == TransferState.Status.FAILED) {
      map.put("reason", transfer.reason());
      map.put("failureCode", transfer.failureCode());
    }
    return map;
  }

  private interface Step {
    void apply(Record event, long sequence, Instant timestamp);
  }

  /** Where the events folded end: the last one's sequence number and time. */
  private record History(long version, Instant asOf) {}

  /**
   * Folds the aggregate's events up to {@code point}, in sequence order, through the shared fold;
   * returns where they end, or null when there were none.
   */
  private History fold(String aggregateId, Point point, Step step) {
    History[] last = {null};
    store.streamAggregate(
        aggregateId,
        row -> {
          long sequence = row.sequence();
          Instant timestamp = row.instant();
          if (!point.includes(sequence, timestamp)) {
            return false;
          }
          step.apply(row.event(), sequence, timestamp);
          last[0] = new History(sequence, timestamp);
          return true;
        });
    return last[0];
  }
}
