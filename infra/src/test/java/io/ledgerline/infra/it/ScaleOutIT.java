package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.CommandApiIT.eventCount;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static io.ledgerline.infra.it.Ledgerline.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Two command-side instances behind one address must answer exactly as one instance does: every
 * refusal and every no-op is decided on the latest stored state, whatever the other instance
 * appended, and a plain command that meets a concurrent writer is decided again, never answered
 * 409.
 */
@SystemTest
@Order(15)
class ScaleOutIT {

  private static ServiceProcess second;

  @BeforeAll
  static void startASecondCommandSide() throws Exception {
    second =
        ServiceProcess.start(
            "command-side",
            28183,
            Map.of(
                "SPRING_DATASOURCE_URL", config().jdbcUrl(),
                "SPRING_DATASOURCE_USERNAME", config().postgresUser(),
                "SPRING_DATASOURCE_PASSWORD", config().postgresPassword(),
                "SPRING_KAFKA_BOOTSTRAP_SERVERS", config().kafkaBootstrap()));
    await()
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .until(() -> Ledgerline.get(second.url() + "/actuator/health/readiness").status() == 200);
  }

  @AfterAll
  static void stopIt() throws Exception {
    if (second != null) {
      second.close();
    }
  }

  private static Ledgerline.Response on(
      String instance, String account, String action, String body) {
    return post(instance + "/api/v1/accounts/" + account + "/" + action, body, Map.of());
  }

  @Test
  void aWithdrawalIsDecidedOnTheBalanceTheOtherInstanceLeft() {
    String a = config().commandUrl();
    String b = second.url();
    String account = openAccount("EUR", "scale-out");
    assertThat(on(a, account, "deposits", "{\"amount\":10}").status()).isEqualTo(200);
    assertThat(on(b, account, "deposits", "{\"amount\":100}").status()).isEqualTo(200);

    var withdrawal = on(a, account, "withdrawals", "{\"amount\":50}");

    assertThat(withdrawal.status()).as(withdrawal.body()).isEqualTo(200);
    assertThat(withdrawal.json().get("balance").asLong()).isEqualTo(60);
    assertThat(withdrawal.json().get("version").asLong()).isEqualTo(3);
  }

  @Test
  void anUnfreezeThroughTheOtherInstanceTakesEffect() throws Exception {
    String a = config().commandUrl();
    String b = second.url();
    String account = openAccount("EUR", "scale-out");
    on(b, account, "deposits", "{\"amount\":100}"); // B now holds the account, OPEN
    assertThat(on(a, account, "freeze", "{}").json().get("status").asText()).isEqualTo("FROZEN");

    var unfreeze = on(b, account, "unfreeze", "{}");

    assertThat(unfreeze.status()).as(unfreeze.body()).isEqualTo(200);
    assertThat(unfreeze.json().get("status").asText()).isEqualTo("OPEN");
    assertThat(unfreeze.json().get("version").asLong()).isEqualTo(3);
    assertThat(eventCount(account, "AccountUnfrozen")).isEqualTo(1);
    var withdrawal = on(a, account, "withdrawals", "{\"amount\":10}");
    assertThat(withdrawal.status()).as(withdrawal.body()).isEqualTo(200);
  }

  @Test
  void aFreezeThroughTheOtherInstanceIsSeenByTheNextDebit() {
    String a = config().commandUrl();
    String b = second.url();
    String account = openAccount("EUR", "scale-out");
    on(a, account, "deposits", "{\"amount\":100}");
    assertThat(on(b, account, "freeze", "{}").status()).isEqualTo(200);

    var withdrawal = on(a, account, "withdrawals", "{\"amount\":10}");

    assertThat(withdrawal.status()).isEqualTo(409);
    assertThat(withdrawal.json().get("type").asText())
        .isEqualTo("urn:ledgerline:problem:account-frozen");
  }

  @Test
  void interleavedDepositsThroughBothInstancesAreEachAppliedOnceAndNeverAnswered409()
      throws Exception {
    String account = openAccount("EUR", "scale-out");
    List<String> instances = List.of(config().commandUrl(), second.url());
    int deposits = 200;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Ledgerline.Response>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < deposits; i++) {
        String instance = instances.get(i % 2);
        answers.add(pool.submit(() -> on(instance, account, "deposits", "{\"amount\":1}")));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Ledgerline.Response> answer : answers) {
        statuses.add(answer.get().status());
      }
      // A losing append is refused before it takes a global position: burned positions are gaps
      // every tracking token carries (and every event the store reads ahead carries a copy).
      assertThat(burnedPositionsAmong(account)).as("positions burned by losing appends").isZero();
      assertThat(statuses).containsOnly(200);
    } finally {
      pool.shutdownNow();
    }
    assertThat(eventCount(account, "FundsDeposited")).isEqualTo(deposits);
    var last = on(config().commandUrl(), account, "withdrawals", "{\"amount\":" + deposits + "}");
    assertThat(last.status()).as("the whole balance is there: " + last.body()).isEqualTo(200);
    assertThat(last.json().get("balance").asLong()).isZero();
  }

  /** Global positions between the account's first and last event that no event holds. */
  private static long burnedPositionsAmong(String account) throws Exception {
    try (var db = Ledgerline.database();
        var query =
            db.prepareStatement(
                "select count(*) from generate_series("
                    + "(select min(global_index) from domain_event_entry where aggregate_identifier = ?),"
                    + "(select max(global_index) from domain_event_entry where aggregate_identifier = ?))"
                    + " position where not exists"
                    + " (select 1 from domain_event_entry where global_index = position)")) {
      query.setString(1, account);
      query.setString(2, account);
      try (var row = query.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }
}
