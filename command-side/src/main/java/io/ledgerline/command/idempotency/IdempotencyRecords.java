package io.ledgerline.command.idempotency;

import java.time.Duration;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code idempotency_record} table. */
@Repository
class IdempotencyRecords {

  record Outcome(String requestHash, String resultType, byte[] resultJson) {}

  private final JdbcTemplate jdbc;

  IdempotencyRecords(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Outcome> find(String scope, String key) {
    return jdbc
        .query(
            "select request_hash, result_type, result_json from idempotency_record"
                + " where scope = ? and idempotency_key = ?",
            (row, n) ->
                new Outcome(
                    row.getString("request_hash"),
                    row.getString("result_type"),
                    row.getBytes("result_json")),
            scope,
            key)
        .stream()
        .findFirst();
  }

  /** Runs in the command's transaction: a concurrent duplicate fails on the primary key. */
  void insert(String scope, String key, String requestHash, String resultType, byte[] resultJson) {
    jdbc.update(
        "insert into idempotency_record (scope, idempotency_key, request_hash, result_type,"
            + " result_json) values (?, ?, ?, ?, ?)",
        scope,
        key,
        requestHash,
        resultType,
        resultJson);
  }

  int deleteOlderThan(Duration retention, int limit) {
    return jdbc.update(
        "delete from idempotency_record where ctid in (select ctid from idempotency_record"
            + " where created_at < now() - make_interval(secs => ?) limit ?)",
        (double) retention.toSeconds(),
        limit);
  }
}
