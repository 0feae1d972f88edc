package io.ledgerline.command.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
  private final TransactionTemplate transactions;
  private final byte[] key;

  CheckpointWriter(
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      @Value("${ledgerline.audit.checkpoint-key}") String key) {
    this.jdbc = jdbc;
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
    List<Object[]> last =
        jdbc.query(
            "select up_to_global_index, event_count, running_hash from audit_checkpoint"
                + " order by id desc limit 1",
            (row, n) -> new Object[] {row.getLong(1), row.getLong(2), row.getBytes(3)});
    long upTo = last.isEmpty() ? 0 : (long) last.get(0)[0];
    long count = last.isEmpty() ? 0 : (long) last.get(0)[1];
    byte[] running = last.isEmpty() ? new byte[0] : (byte[]) last.get(0)[2];
    // Only rows at or below the settled position (migration V6), read in a statement of its own:
    // no transaction in flight can still commit an event there.
    Long settled = jdbc.queryForObject("select ledgerline_settled_position()", Long.class);
    List<Object[]> events =
        jdbc.query(
            "select global_index, hash from domain_event_entry where global_index > ?"
                + " and global_index <= ? order by global_index limit ?",
            (row, n) -> new Object[] {row.getLong(1), row.getBytes(2)},
            upTo,
            settled,
            MAX_EVENTS);
    if (events.isEmpty()) {
      return;
    }
    for (Object[] event : events) {
      running = sha256(running, (byte[]) event[1]);
      upTo = (long) event[0];
      count++;
    }
    jdbc.update(
        "insert into audit_checkpoint (up_to_global_index, event_count, running_hash, signature)"
            + " values (?, ?, ?, ?)",
        upTo,
        count,
        running,
        sign(key, upTo, count, running));
  }

  static byte[] sha256(byte[] previous, byte[] next) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(previous);
      digest.update(next);
      return digest.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] sign(byte[] key, long upTo, long count, byte[] running) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(ByteBuffer.allocate(16).putLong(upTo).putLong(count).array());
      mac.update(running);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
