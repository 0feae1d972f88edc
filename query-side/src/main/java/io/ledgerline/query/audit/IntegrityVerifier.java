package io.ledgerline.query.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Verifies the event store's tamper evidence: every aggregate's hash chain, recomputed from the
 * stored fields, and the signed checkpoints over the global order. Reports the first broken link.
 */
@Component
class IntegrityVerifier {

  record BrokenLink(String aggregateId, Long sequence, Long globalPosition, String problem) {}

  record Report(boolean valid, long checked, BrokenLink firstBroken) {}

  private final EventStoreRows rows;
  private final JdbcTemplate jdbc;
  private final byte[] key;

  IntegrityVerifier(
      EventStoreRows rows,
      JdbcTemplate jdbc,
      @Value("${ledgerline.audit.checkpoint-key}") String key) {
    this.rows = rows;
    this.jdbc = jdbc;
    this.key = key.getBytes(StandardCharsets.UTF_8);
  }

  /** One aggregate's chain, or the whole store (every chain, then every checkpoint). */
  Report verify(String aggregateId) throws Exception {
    long[] checked = {0};
    BrokenLink[] broken = {null};
    String sql =
        "select "
            + EventStoreRows.COLUMNS
            + " from domain_event_entry"
            + (aggregateId == null ? "" : " where aggregate_identifier = ?")
            + " order by aggregate_identifier, sequence_number";
    Object[] parameters = aggregateId == null ? new Object[0] : new Object[] {aggregateId};
    String[] currentAggregate = {null};
    byte[][] previous = {null};
    long[] expectedSequence = {0};
    rows.stream(
        sql,
        parameters,
        row -> {
          String aggregate = row.getString("aggregate_identifier");
          long sequence = row.getLong("sequence_number");
          long position = row.getLong("global_index");
          if (!aggregate.equals(currentAggregate[0])) {
            currentAggregate[0] = aggregate;
            previous[0] = null;
            expectedSequence[0] = 0;
          }
          if (sequence != expectedSequence[0]) {
            broken[0] =
                new BrokenLink(
                    aggregate,
                    expectedSequence[0],
                    null,
                    "event "
                        + expectedSequence[0]
                        + " is missing (next stored is "
                        + sequence
                        + ")");
            return false;
          }
          byte[] expected = hash(previous[0], row);
          if (!Arrays.equals(expected, row.getBytes("hash"))) {
            broken[0] =
                new BrokenLink(
                    aggregate, sequence, position, "stored event does not match its hash chain");
            return false;
          }
          previous[0] = expected;
          expectedSequence[0]++;
          checked[0]++;
          return true;
        });
    if (broken[0] == null && aggregateId != null && checked[0] == 0) {
      throw new io.ledgerline.query.api.NotFoundException("no events for " + aggregateId);
    }
    if (broken[0] == null && aggregateId == null) {
      broken[0] = verifyCheckpoints();
    }
    return new Report(broken[0] == null, checked[0], broken[0]);
  }

  private record Checkpoint(long id, long upTo, long count, byte[] running, byte[] signature) {}

  /** Replays the global order against every signed checkpoint. */
  private BrokenLink verifyCheckpoints() throws Exception {
    List<Checkpoint> checkpoints =
        new ArrayList<>(
            jdbc.query(
                "select id, up_to_global_index, event_count, running_hash, signature"
                    + " from audit_checkpoint order by id",
                (row, n) ->
                    new Checkpoint(
                        row.getLong(1),
                        row.getLong(2),
                        row.getLong(3),
                        row.getBytes(4),
                        row.getBytes(5))));
    for (Checkpoint checkpoint : checkpoints) {
      if (!MessageDigest.isEqual(
          checkpoint.signature(),
          sign(checkpoint.upTo(), checkpoint.count(), checkpoint.running()))) {
        return new BrokenLink(
            null,
            null,
            checkpoint.upTo(),
            "checkpoint " + checkpoint.id() + " has a bad signature");
      }
    }
    if (checkpoints.isEmpty()) {
      return null;
    }
    byte[][] running = {new byte[0]};
    long[] count = {0};
    long[] lastPosition = {0};
    int[] next = {0};
    BrokenLink[] broken = {null};
    long lastCovered = checkpoints.get(checkpoints.size() - 1).upTo();
    rows.stream(
        "select global_index, hash from domain_event_entry where global_index <= ?"
            + " order by global_index",
        new Object[] {lastCovered},
        row -> {
          running[0] = sha256(running[0], row.getBytes("hash"));
          count[0]++;
          lastPosition[0] = row.getLong("global_index");
          while (next[0] < checkpoints.size()
              && checkpoints.get(next[0]).upTo() <= lastPosition[0]) {
            Checkpoint checkpoint = checkpoints.get(next[0]);
            if (checkpoint.upTo() != lastPosition[0]
                || checkpoint.count() != count[0]
                || !Arrays.equals(checkpoint.running(), running[0])) {
              broken[0] =
                  new BrokenLink(
                      null,
                      null,
                      checkpoint.upTo(),
                      "the global order up to "
                          + checkpoint.upTo()
                          + " differs from checkpoint "
                          + checkpoint.id()
                          + " (events inserted, deleted, reordered or rewritten)");
              return false;
            }
            next[0]++;
          }
          return true;
        });
    if (broken[0] == null && next[0] < checkpoints.size()) {
      Checkpoint checkpoint = checkpoints.get(next[0]);
      broken[0] =
          new BrokenLink(
              null,
              null,
              checkpoint.upTo(),
              "the store ends at "
                  + lastPosition[0]
                  + " but checkpoint "
                  + checkpoint.id()
                  + " covers up to "
                  + checkpoint.upTo()
                  + " (truncated)");
    }
    return broken[0];
  }

  /** Must equal the database's ledgerline_event_hash (migration V4 of the command side). */
  static byte[] hash(byte[] previous, ResultSet row) throws Exception {
    String identity =
        row.getString("aggregate_identifier")
            + '|'
            + row.getLong("sequence_number")
            + '|'
            + nullToEmpty(row.getString("type"))
            + '|'
            + row.getString("payload_type")
            + '|'
            + nullToEmpty(row.getString("payload_revision"))
            + '|'
            + row.getString("time_stamp");
    byte[] metadata = row.getBytes("meta_data");
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    if (previous != null) {
      digest.update(previous);
    }
    digest.update(sha256(identity.getBytes(StandardCharsets.UTF_8)));
    digest.update(sha256(row.getBytes("payload")));
    digest.update(sha256(metadata == null ? new byte[0] : metadata));
    return digest.digest();
  }

  private byte[] sign(long upTo, long count, byte[] running) {
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

  private static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
