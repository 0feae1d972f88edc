package io.ledgerline.command.audit;

import io.ledgerline.eventstore.Checkpoint;
import io.ledgerline.eventstore.EventHash;
import io.ledgerline.eventstore.EventStoreReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Seals the global order: every few seconds, extends a running SHA-256 over the hashes of the
 * events committed since the last checkpoint, and stores it signed (HMAC-SHA256) with a key that
 * lives outside the database. Rewriting history, even with recomputed per-event hashes, then breaks
 * a signature that only the key holder could forge.
 */
@Component
class CheckpointWriter {

  private static final int MAX_EVENTS = 50_000;

  private final JdbcTemplate jdbc;
  private final EventStoreReader store;
  private final TransactionTemplate transactions;
  private final byte[] key;

  CheckpointWriter(
      JdbcTemplate jdbc,
      EventStoreReader store,
      TransactionTemplate transactions,
      @Value("${ledgerline.audit.checkpoint-key}") String key) {
    this.jdbc = jdbc;
    this.store = store;
    this.transactions = transactions;
    this.key = key.getBytes(StandardCharsets.UTF_8);
  }

  @Scheduled(fixedDelayString = "${ledgerline.audit.checkpoint-interval:PT5S}")
  void writeCheckpoint() {
    transactions.executeWithoutResult(status -> write());
  }

  private void write() {
    // One writer at a time across instances; the others skip this round.
    Boolean locked = jdbc.queryForObject("select pg_try_advisory_xact_lock(741, 1)", Boolean.class);
    if (!Boolean.TRUE.equals(locked)) {
      return;
    }
    // The reader's queries join this transaction, so they run under its lock.
    Optional<Checkpoint> last = store.lastCheckpoint();
    long sealedUpTo = last.map(Checkpoint::upToGlobalIndex).orElse(0L);
    long[] upTo = {sealedUpTo};
    long[] count = {last.map(Checkpoint::eventCount).orElse(0L)};
    byte[][] running = {last.map(Checkpoint::runningHash).orElseGet(EventHash::runningStart)};
    // Only rows at or below the settled position (migration V6), read in a statement of its own:
    // no transaction in flight can still commit an event there.
    long settled = store.settledPosition();
    store.streamHashes(
        sealedUpTo,
        settled,
        MAX_EVENTS,
        event -> {
          running[0] = EventHash.running(running[0], event.hash());
          upTo[0] = event.globalPosition();
          count[0]++;
          return true;
        });
    if (upTo[0] == sealedUpTo) {
      return;
    }
    jdbc.update(
        "insert into audit_checkpoint (up_to_global_index, event_count, running_hash, signature)"
            + " values (?, ?, ?, ?)",
        upTo[0],
        count[0],
        running[0],
        EventHash.signature(key, upTo[0], count[0], running[0]));
  }
}
