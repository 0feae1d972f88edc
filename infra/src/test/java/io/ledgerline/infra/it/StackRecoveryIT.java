package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ledgerline.infra.localstack.LocalStack;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * {@code ledgerline up} after a part was killed with SIGKILL, as an operator would run it: the part
 * left its PID file, its lock files and (Elasticsearch) a process tree behind. {@code up} must
 * clean that up, start the part again, wait until it is healthy, and show it running; not report
 * success while the new process died on a port the old one still held.
 */
@SystemTest
@Order(86)
class StackRecoveryIT {

  @Test
  void upAfterElasticsearchAndPostgresWereKilledStartsBothAgainAndWaitsForThem() throws Exception {
    LocalStack stack = LocalStackExtension.RunningStack.stack();
    long elasticsearchBefore = pidOf(stack, "elasticsearch");
    long postgresBefore = pidOf(stack, "postgres");

    stack.kill("elasticsearch");
    stack.kill("postgres");
    stack.up();

    for (var part :
        java.util.Map.of("elasticsearch", elasticsearchBefore, "postgres", postgresBefore)
            .entrySet()) {
      long now = pidOf(stack, part.getKey());
      assertThat(now).as(part.getKey() + " is running again: " + stack.status()).isPositive();
      assertThat(now).as(part.getKey() + " is a new process").isNotEqualTo(part.getValue());
      assertThat(ProcessHandle.of(part.getValue()).filter(ProcessHandle::isAlive))
          .as("the killed " + part.getKey() + " is gone")
          .isEmpty();
    }
    assertThat(get(config().elasticsearchUrl() + "/_cluster/health").status()).isEqualTo(200);

    // And the ledger works end to end on the new processes.
    String account = openAccount("EUR", "recovery");
    assertThat(command(account, "deposits", "{\"amount\":5}").status()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              var read = get(config().queryUrl() + "/api/v1/accounts/" + account);
              return read.status() == 200 && read.json().get("balance").asLong() == 5;
            });
  }

  /** The PID {@code ledgerline status} shows for a running part, or 0 when it shows none. */
  private static long pidOf(LocalStack stack, String part) {
    for (String line : stack.status()) {
      String[] words = line.trim().split("\\s+");
      if (words.length > 3 && words[0].equals(part) && words[1].equals("running")) {
        return words[2].equals("pid") ? Long.parseLong(words[3]) : 0;
      }
    }
    return 0;
  }
}
