package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Guarantee: the command side works off a backlog of events in bounded memory. Fault: 100,000
 * events arrive in the store in a few large transactions (a restore, a bulk import, or what another
 * instance wrote while this one's processors were stopped), just after 200 appends whose positions
 * were burnt (rolled back, as a crash or a lost race leaves them), so the Kafka publisher, the
 * transfer process and the top-up process all read far behind the head, at different speeds, with
 * 200 gaps in every tracking token. Each of them reaches the head at the default heap without the
 * command side running out of memory or restarting.
 *
 * <p>What it guards: Axon's event store links every event its shared read-ahead reads into a cache,
 * and one call of that reader held every event it had read since it began (README, "What filled the
 * heap"). With a backlog and tokens carrying gaps, that ran the command side out of memory in a CI
 * run of this test (54,801 events held, ≈ 96 gaps each); the burnt positions make each held event
 * as heavy on every run, so this test fails without the bounded read-ahead ({@code
 * BoundedReadAheadStorageEngine}): run alone without it, the command side ran out of memory (31,801
 * events held from that frame, 200 gaps each) and this test failed.
 *
 * <p>Runs after reconciliation, so the query side's projections need not have caught up with the
 * backlog for it. The 200 gaps stay in the command side's tokens for the rest of the run (fewer
 * than the cleaning threshold, within the maximum offset), which only the million-event test after
 * it sees: one more backlog, now with heavy tokens.
 */
@SystemTest
@Order(Integer.MAX_VALUE - 1)
class EventBacklogIT {

  // 100,000 events in five transactions, back to back, as a bulk import commits them: the
  // processors start on the first while the next are still being written.
  private static final int TRANSACTIONS = 5;
  private static final int ACCOUNTS_PER_TRANSACTION = 200;
  private static final int EVENTS_PER_ACCOUNT = 100;
  // Fewer than the event store's gap-cleaning threshold (250), so no processor cleans them early.
  private static final int BURNT_POSITIONS = 200;

  @Test
  void everyCommandSideProcessorWorksOffAHundredThousandEventsWithinTheDefaultHeap()
      throws Exception {
    int restartsBefore = LocalStackExtension.RunningStack.stack().restartCount("command-side");
    burnPositions(BURNT_POSITIONS);
    for (int transaction = 1; transaction <= TRANSACTIONS; transaction++) {
      Ledgerline.appendAccountHistories(
          "backlog-" + transaction + "-", ACCOUNTS_PER_TRANSACTION, EVENTS_PER_ACCOUNT);
    }
    long head = head();

    await()
        .atMost(Duration.ofMinutes(8))
        .pollInterval(Duration.ofSeconds(2))
        .failFast(
            "the command side restarted while working off the backlog",
            () ->
                LocalStackExtension.RunningStack.stack().restartCount("command-side")
                    != restartsBefore)
        .untilAsserted(
            () -> {
              Map<String, Long> positions = processorPositions();
              assertThat(positions)
                  .as("each processor's position, the head being %d", head)
                  .containsOnlyKeys("kafka-publisher", "transfer-process", "top-up-process")
                  .allSatisfy(
                      (processor, position) -> assertThat(position).isGreaterThanOrEqualTo(head));
            });

    assertThat(LocalStackExtension.RunningStack.stack().restartCount("command-side"))
        .as("command-side restarts")
        .isEqualTo(restartsBefore);
    assertThat(get(config().commandUrl() + "/actuator/health/readiness").status()).isEqualTo(200);
  }

  /**
   * Leaves {@code count} gaps in the global order: each is a position taken from the event table's
   * sequence and never used, followed by an event that is, so every token read after them holds
   * them all until they are older than the gap time-out.
   */
  private static void burnPositions(int count) throws Exception {
    try (Connection db = Ledgerline.database();
        Statement statement = db.createStatement()) {
      for (int i = 0; i < count; i++) {
        statement.execute("select nextval('domain_event_entry_global_index_seq')");
        Ledgerline.appendAccountHistories("backlog-gap-" + i + "-", 1, 1);
      }
    }
  }

  private static long head() throws Exception {
    try (Connection db = Ledgerline.database();
        Statement query = db.createStatement();
        ResultSet row = query.executeQuery("select max(global_index) from domain_event_entry")) {
      row.next();
      return row.getLong(1);
    }
  }

  /** Each tracking processor's position: the index of its gap-aware token (stored as JSON). */
  private static Map<String, Long> processorPositions() throws Exception {
    Map<String, Long> positions = new LinkedHashMap<>();
    try (Connection db = Ledgerline.database();
        Statement query = db.createStatement();
        ResultSet rows =
            query.executeQuery(
                "select processor_name, min((convert_from(token, 'UTF8')::json ->> 'index')::bigint)"
                    + " from token_entry group by processor_name")) {
      while (rows.next()) {
        positions.put(rows.getString(1), rows.getLong(2));
      }
    }
    return positions;
  }
}
