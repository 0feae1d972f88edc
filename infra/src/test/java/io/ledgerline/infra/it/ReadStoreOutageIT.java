package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Guarantee: an Elasticsearch outage delays the read models but parks nothing. Fault: Elasticsearch
 * is killed with SIGKILL while deposits go on, and started again. The projections retry with
 * back-off without committing their position, nothing goes to the dead letters, and every read
 * model converges without a manual step.
 */
@SystemTest
@Order(85)
class ReadStoreOutageIT {

  @Test
  void noEventIsDeadLetteredAndEveryReadModelConvergesAfterElasticsearchIsKilled()
      throws Exception {
    List<String> accounts = new ArrayList<>();
    Map<String, Long> balances = new HashMap<>();
    for (int i = 0; i < 5; i++) {
      String account = openAccount("EUR", "outage");
      accounts.add(account);
      balances.put(account, 0L);
    }
    accounts.forEach(Ledgerline::queryAccountAwait);
    int deadLettersBefore = deadLetters();

    LocalStackExtension.RunningStack.stack().kill("elasticsearch");
    await()
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> get(config().queryUrl() + "/actuator/health/readiness").status() == 503);
    var read = Ledgerline.queryAccount(accounts.get(0));
    assertThat(read.status())
        .as("a read while the read store is down: " + read.body())
        .isEqualTo(503);
    assertThat(read.header("Retry-After")).isNotBlank();
    for (int i = 0; i < 40; i++) {
      String account = accounts.get(i % accounts.size());
      var deposit = command(account, "deposits", "{\"amount\":" + (i + 1) + "}");
      assertThat(deposit.status()).as(deposit.body()).isEqualTo(200);
      balances.merge(account, (long) i + 1, Long::sum);
    }
    await()
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> lag("accounts") > 0 && lag("transactions") > 0);

    LocalStackExtension.RunningStack.stack().restart("elasticsearch");

    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (String account : accounts) {
                var document = Ledgerline.queryAccount(account).json();
                assertThat(document.get("balance").asLong())
                    .as(account)
                    .isEqualTo(balances.get(account));
                assertThat(document.get("version").asLong()).as(account).isEqualTo(8);
                var transactions =
                    get(config().queryUrl()
                            + "/api/v1/accounts/"
                            + account
                            + "/transactions?size=100")
                        .json();
                assertThat(transactions.get("items")).as(account).hasSize(8);
              }
            });
    assertThat(deadLetters()).as("events parked by the outage").isEqualTo(deadLettersBefore);
    var report =
        Ledgerline.post(config().queryUrl() + "/api/v1/admin/reconciliation", null, Map.of());
    assertThat(report.json().get("clean").asBoolean()).as(report.body()).isTrue();
  }

  private static long lag(String projection) {
    for (var status : get(config().queryUrl() + "/api/v1/projections").json()) {
      if (status.get("projection").asText().equals(projection)) {
        return status.get("lagEvents").asLong();
      }
    }
    return 0;
  }

  private static int deadLetters() {
    return Ledgerline.deadLetters().size();
  }
}
