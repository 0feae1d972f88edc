package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static io.ledgerline.infra.it.Ledgerline.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The audit API on the real event store: history, time travel, completeness and tampering. */
@SystemTest
@Order(30)
class AuditIT {

  private static final String AUDIT = "/api/v1/audit";

  @Test
  void anAggregatesStreamHasEveryEventWithPayloadAndMetadata() {
    String account = openAccount("EUR", "auditor-view");
    command(account, "deposits", "{\"amount\":10}", Map.of("X-Correlation-Id", "audit-1"));
    command(account, "withdrawals", "{\"amount\":4}");

    JsonNode events =
        get(config().queryUrl() + AUDIT + "/aggregates/" + account + "/events").json().get("items");

    assertThat(events).hasSize(3);
    assertThat(events)
        .extracting(e -> e.get("type").asText())
        .containsExactly("AccountOpened", "FundsDeposited", "FundsWithdrawn");
    assertThat(events).extracting(e -> e.get("sequence").asLong()).containsExactly(0L, 1L, 2L);
    assertThat(events.get(1).get("payload").get("amountMinor").asLong()).isEqualTo(10);
    assertThat(events.get(1).get("metadata").get("correlationId").asText()).isEqualTo("audit-1");

    JsonNode firstPage =
        get(config().queryUrl() + AUDIT + "/aggregates/" + account + "/events?limit=2").json();
    assertThat(firstPage.get("items")).hasSize(2);
    JsonNode secondPage =
        get(config().queryUrl()
                + AUDIT
                + "/aggregates/"
                + account
                + "/events?limit=2&after="
                + firstPage.get("nextCursor").asText())
            .json();
    assertThat(secondPage.get("items"))
        .extracting(e -> e.get("sequence").asLong())
        .containsExactly(2L);
    assertThat(secondPage.get("nextCursor").isNull()).isTrue();
    assertThat(
            get(config().queryUrl() + AUDIT + "/aggregates/" + account + "/events?limit=5000")
                .status())
        .isEqualTo(400);
  }

  @Test
  void anAccountCanBeSeenAsItWasAtAVersionOrAMoment() throws Exception {
    String account = openAccount("EUR", "time-travel");
    command(account, "deposits", "{\"amount\":100}");
    Instant between = Instant.now();
    // Event timestamps are the commit clock: step past "between" before the next command.
    await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(between.plusMillis(5)));
    command(account, "deposits", "{\"amount\":50}");
    command(account, "freeze", null);

    var atVersion =
        get(config().queryUrl() + AUDIT + "/accounts/" + account + "/state?version=1").json();
    assertThat(atVersion.get("balance").asLong()).isEqualTo(100);
    assertThat(atVersion.get("status").asText()).isEqualTo("OPEN");
    var atMoment =
        get(config().queryUrl() + AUDIT + "/accounts/" + account + "/state?at=" + between).json();
    assertThat(atMoment.get("balance").asLong()).isEqualTo(100);
    assertThat(atMoment.get("version").asLong()).isEqualTo(1);
    var now =
        get(config().queryUrl() + AUDIT + "/accounts/" + account + "/state?at=" + Instant.now())
            .json();
    assertThat(now.get("balance").asLong()).isEqualTo(150);
    assertThat(now.get("status").asText()).isEqualTo("FROZEN");
    assertThat(
            get(config().queryUrl()
                    + AUDIT
                    + "/accounts/"
                    + account
                    + "/state?at=2000-01-01T00:00:00Z")
                .status())
        .isEqualTo(404);
  }

  @Test
  void theGlobalFeedNeverSkipsAnEventThatCommitsLate() throws Exception {
    long start = lastPosition();
    String slowId = "slow-" + UUID.randomUUID();
    String fastId = "fast-" + UUID.randomUUID();
    try (Connection slow = Ledgerline.database()) {
      slow.setAutoCommit(false);
      appendOpened(slow, slowId); // takes the lower global position, commits last
      try (Connection fast = Ledgerline.database()) {
        appendOpened(fast, fastId); // autocommit: visible at once, at a higher position
      }
      List<String> whileSlowIsOpen = feedAfter(start);
      assertThat(whileSlowIsOpen).doesNotContain(slowId, fastId);
      slow.commit();
    }
    List<String> afterCommit = feedAfter(start);
    assertThat(afterCommit).containsSubsequence(slowId, fastId);
  }

  /**
   * An older transaction (one that wrote before its event, as a processor's token or an idempotency
   * record does) inserts its event after a younger one took a smaller position, and commits while
   * the younger one is still open. Neither the feed nor the checkpoint sealer may move past the
   * younger one's position: once it commits, both must hold both events.
   */
  @Test
  void aLateCommitAtASmallerPositionIsNeitherSkippedByTheFeedNorSealedPast() throws Exception {
    long start = lastPosition();
    String youngId = "young-" + UUID.randomUUID();
    String oldId = "old-" + UUID.randomUUID();
    long youngPosition;
    try (Connection old = Ledgerline.database();
        Connection young = Ledgerline.database()) {
      old.setAutoCommit(false);
      young.setAutoCommit(false);
      try (Statement writesFirst = old.createStatement()) {
        writesFirst.execute("select pg_current_xact_id()"); // the older transaction id
      }
      youngPosition = appendOpened(young, youngId);
      long oldPosition = appendOpened(old, oldId);
      assertThat(oldPosition).isGreaterThan(youngPosition);
      old.commit();

      // The feed first: it is what a consumer sees, and what skipped the young event before.
      assertThat(feedAfter(start)).doesNotContain(youngId, oldId);
      assertThat(settledPosition()).isLessThan(youngPosition);
      young.commit();
    }
    assertThat(feedAfter(start)).containsSubsequence(youngId, oldId);
    assertThat(settledPosition()).isGreaterThanOrEqualTo(youngPosition + 1);
    awaitCheckpointCovering(oldId);
    assertThat(verify(null).get("valid").asBoolean()).as("verify after the late commit").isTrue();
  }

  private static long settledPosition() throws Exception {
    try (Connection db = Ledgerline.database();
        Statement statement = db.createStatement();
        ResultSet row = statement.executeQuery("select ledgerline_settled_position()")) {
      row.next();
      return row.getLong(1);
    }
  }

  @Test
  void theVerifyCommandReportsAnIntactStore() throws Exception {
    var output = new java.io.ByteArrayOutputStream();
    boolean valid =
        io.ledgerline.infra.localstack.VerifyCommand.run(
            config(), null, new java.io.PrintStream(output));
    assertThat(valid).as(output.toString()).isTrue();
    assertThat(output.toString()).contains("\"valid\":true");
  }

  @Test
  void theExportStreamsNdjsonInCommitOrder() {
    String account = openAccount("EUR", "export");
    command(account, "deposits", "{\"amount\":7}");
    var export = get(config().queryUrl() + AUDIT + "/export");
    assertThat(export.status()).isEqualTo(200);
    assertThat(export.contentType()).startsWith("application/x-ndjson");
    String[] lines = export.body().split("\n");
    long previous = 0;
    int ofAccount = 0;
    for (String line : lines) {
      JsonNode event = new Ledgerline.Response(200, null, line).json();
      assertThat(event.get("globalPosition").asLong()).isGreaterThan(previous);
      previous = event.get("globalPosition").asLong();
      if (account.equals(event.get("aggregateId").asText())) {
        ofAccount++;
      }
    }
    assertThat(ofAccount).isEqualTo(2);
  }

  @Test
  void everyKindOfTamperingIsDetectedAndReportedAtItsFirstBrokenLink() throws Exception {
    String account = openAccount("EUR", "tamper");
    for (int i = 1; i <= 4; i++) {
      command(account, "deposits", "{\"amount\":" + i + "}");
    }
    assertThat(verify(account).get("valid").asBoolean()).isTrue();
    awaitCheckpointCovering(account);
    assertThat(verify(null).get("valid").asBoolean()).as("whole store before tampering").isTrue();

    String where = " where aggregate_identifier = '" + account + "' and sequence_number = ";
    tampered(
        account,
        "update domain_event_entry set payload = convert_to(replace(convert_from(payload, 'UTF8'), '\"amountMinor\":2', '\"amountMinor\":2000'), 'UTF8')"
            + where
            + "2",
        2);
    tampered(
        account,
        "update domain_event_entry set meta_data = convert_to(jsonb_set(convert_from(meta_data, 'UTF8')::jsonb, '{subject}', '\"mallory\"')::text, 'UTF8')"
            + where
            + "1",
        1);
    tampered(
        account,
        "update domain_event_entry set time_stamp = '2020-01-01T00:00:00Z'" + where + "3",
        3);
    tampered(account, "delete from domain_event_entry" + where + "2", 2);
    // Two events swapped (through a free number: the unique key forbids a direct swap).
    tampered(
        account,
        "update domain_event_entry set sequence_number = -1"
            + where
            + "1;"
            + "update domain_event_entry set sequence_number = 1"
            + where
            + "2;"
            + "update domain_event_entry set sequence_number = 2"
            + where
            + "-1",
        1);
    // Truncating the tail keeps the aggregate's own chain intact: the signed checkpoint notices.
    try (Connection db = Ledgerline.database()) {
      Row last = Row.read(db, account, 4);
      try (Statement statement = db.createStatement()) {
        statement.execute("delete from domain_event_entry" + where + "4");
      }
      JsonNode whole = verify(null);
      assertThat(whole.get("valid").asBoolean()).isFalse();
      assertThat(whole.get("firstBroken").get("problem").asText())
          .containsAnyOf("differs", "truncated");
      last.restore(db);
    }
    assertThat(verify(account).get("valid").asBoolean()).isTrue();
    assertThat(verify(null).get("valid").asBoolean()).as("whole store once restored").isTrue();
  }

  /** Applies a tampering statement, expects the verifier to name the sequence, then restores. */
  private static void tampered(String account, String sql, long expectedSequence) throws Exception {
    try (Connection db = Ledgerline.database()) {
      List<Row> original = new ArrayList<>();
      for (long sequence = 0; sequence <= 4; sequence++) {
        original.add(Row.read(db, account, sequence));
      }
      try (Statement statement = db.createStatement()) {
        statement.execute(sql);
      }
      JsonNode report = verify(account);
      assertThat(report.get("valid").asBoolean()).as(sql).isFalse();
      assertThat(report.get("firstBroken").get("sequence").asLong())
          .as(sql)
          .isEqualTo(expectedSequence);
      try (Statement statement = db.createStatement()) {
        statement.execute(
            "delete from domain_event_entry where aggregate_identifier = '" + account + "'");
      }
      for (Row row : original) {
        row.restore(db);
      }
    }
    assertThat(verify(account).get("valid").asBoolean()).as("restored after " + sql).isTrue();
  }

  /** A stored event row, byte for byte, to put back after a tampering test. */
  private record Row(
      long globalIndex,
      String eventId,
      String aggregateId,
      long sequence,
      String type,
      String timestamp,
      String payloadType,
      String revision,
      byte[] payload,
      byte[] metadata,
      byte[] hash) {

    static Row read(Connection db, String aggregateId, long sequence) throws Exception {
      try (PreparedStatement query =
          db.prepareStatement(
              "select global_index, event_identifier, type, time_stamp, payload_type, payload_revision,"
                  + " payload, meta_data, hash from domain_event_entry"
                  + " where aggregate_identifier = ? and sequence_number = ?")) {
        query.setString(1, aggregateId);
        query.setLong(2, sequence);
        try (ResultSet row = query.executeQuery()) {
          assertThat(row.next()).isTrue();
          return new Row(
              row.getLong(1),
              row.getString(2),
              aggregateId,
              sequence,
              row.getString(3),
              row.getString(4),
              row.getString(5),
              row.getString(6),
              row.getBytes(7),
              row.getBytes(8),
              row.getBytes(9));
        }
      }
    }

    void restore(Connection db) throws Exception {
      try (PreparedStatement insert =
          db.prepareStatement(
              "insert into domain_event_entry (global_index, event_identifier, aggregate_identifier,"
                  + " sequence_number, type, time_stamp, payload_type, payload_revision, payload, meta_data)"
                  + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setLong(1, globalIndex);
        insert.setString(2, eventId);
        insert.setString(3, aggregateId);
        insert.setLong(4, sequence);
        insert.setString(5, type);
        insert.setString(6, timestamp);
        insert.setString(7, payloadType);
        insert.setString(8, revision);
        insert.setBytes(9, payload);
        insert.setBytes(10, metadata);
        insert.executeUpdate();
      }
    }
  }

  private static JsonNode verify(String aggregateId) {
    var response =
        post(
            config().queryUrl() + AUDIT + "/verify",
            aggregateId == null ? "{}" : "{\"aggregateId\":\"" + aggregateId + "\"}",
            Map.of());
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static void awaitCheckpointCovering(String account) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              try (Connection db = Ledgerline.database();
                  Statement statement = db.createStatement();
                  ResultSet row =
                      statement.executeQuery(
                          "select coalesce(max(up_to_global_index), 0) >= (select max(global_index)"
                              + " from domain_event_entry where aggregate_identifier = '"
                              + account
                              + "')"
                              + " from audit_checkpoint")) {
                return row.next() && row.getBoolean(1);
              }
            });
  }

  private static long lastPosition() throws Exception {
    try (Connection db = Ledgerline.database();
        Statement statement = db.createStatement();
        ResultSet row =
            statement.executeQuery(
                "select coalesce(max(global_index), 0) from domain_event_entry")) {
      row.next();
      return row.getLong(1);
    }
  }

  /** Appends an AccountOpened row as the services' user would; returns its global position. */
  private static long appendOpened(Connection db, String accountId) throws Exception {
    try (PreparedStatement insert =
        db.prepareStatement(
            "insert into domain_event_entry (event_identifier, aggregate_identifier, sequence_number,"
                + " type, time_stamp, payload_type, payload, meta_data) values (?, ?, 0, 'Account', ?,"
                + " 'io.ledgerline.events.AccountOpened', ?, ?) returning global_index")) {
      insert.setString(1, UUID.randomUUID().toString());
      insert.setString(2, accountId);
      insert.setString(3, Instant.now().toString());
      insert.setBytes(
          4,
          ("{\"accountId\":\""
                  + accountId
                  + "\",\"ownerId\":\"audit\",\"currency\":\"EUR\",\"overdraftLimitMinor\":0}")
              .getBytes());
      insert.setBytes(5, "{\"subject\":\"audit-test\"}".getBytes());
      try (ResultSet position = insert.executeQuery()) {
        position.next();
        return position.getLong(1);
      }
    }
  }

  private static List<String> feedAfter(long after) {
    List<String> ids = new ArrayList<>();
    String cursor = Long.toString(after);
    while (cursor != null) {
      JsonNode page = get(config().queryUrl() + AUDIT + "/events?limit=500&after=" + cursor).json();
      page.get("items").forEach(e -> ids.add(e.get("aggregateId").asText()));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
    }
    return ids;
  }
}
