package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static io.ledgerline.infra.it.Ledgerline.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Rebuilding read models while commands keep coming: nothing lost, parity checked. */
@SystemTest
@Order(40)
class RebuildIT {

  @Test
  void theAccountsReadModelIsRebuiltUnderLoadAndSwitchedOnlyAfterParity() throws Exception {
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      accounts.add(openAccount("EUR", "rebuild"));
    }
    Deposits deposits = new Deposits(accounts, Integer.MAX_VALUE);
    JsonNode done;
    try {
      done = rebuildToTheEnd("accounts");
    } finally {
      deposits.stop();
    }
    Map<String, Long> lastBalance = deposits.lastBalance;
    Map<String, Long> lastVersion = deposits.lastVersion;

    assertThat(done.get("phase").asText()).as(done.toString()).isEqualTo("SWITCHED");
    assertThat(done.get("parity").get("passed").asBoolean()).isTrue();
    assertThat(done.get("eventsProcessed").asLong()).isPositive();
    String newIndex = done.get("newIndex").asText();
    String previousIndex = done.get("previousIndex").asText();
    assertThat(newIndex).isNotEqualTo(previousIndex);
    var alias = get(config().elasticsearchUrl() + "/_alias/accounts").json();
    assertThat(alias.fieldNames()).toIterable().containsExactly(newIndex);

    // Every deposit made during the rebuild is in the new index.
    for (String account : accounts) {
      JsonNode projected = AccountSliceIT.awaitProjected(account, lastVersion.get(account));
      assertThat(projected.get("balance").asLong()).isEqualTo(lastBalance.get(account));
    }

    // The old index stays for rollback until an admin deletes it.
    assertThat(get(config().elasticsearchUrl() + "/" + previousIndex).status()).isEqualTo(200);
    deletePreviousIndex(done);
    assertThat(get(config().elasticsearchUrl() + "/" + previousIndex).status()).isEqualTo(404);
  }

  /**
   * The movements model keeps nothing a replay cannot know (it used to keep the Kafka offsets the
   * live feed resumed from), so it is rebuilt like the others: under load, switched after parity,
   * and afterwards every movement of every account is listed, none twice.
   */
  @Test
  void theTransactionsReadModelIsRebuiltUnderLoadWithEveryMovement() throws Exception {
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      accounts.add(openAccount("EUR", "rebuild-transactions"));
    }
    // At most 80 deposits an account, so one page of the list holds all of them.
    Deposits deposits = new Deposits(accounts, 80);
    JsonNode done;
    try {
      done = rebuildToTheEnd("transactions");
    } finally {
      deposits.stop();
    }
    Map<String, Long> lastBalance = deposits.lastBalance;
    Map<String, Long> lastVersion = deposits.lastVersion;

    assertThat(done.get("phase").asText()).as(done.toString()).isEqualTo("SWITCHED");
    assertThat(done.get("parity").get("passed").asBoolean()).as(done.toString()).isTrue();
    assertThat(done.get("parity").get("expectedDocuments").asLong()).isPositive();
    String newIndex = done.get("newIndex").asText();
    var alias = get(config().elasticsearchUrl() + "/_alias/transactions").json();
    assertThat(alias.fieldNames()).toIterable().containsExactly(newIndex);

    for (String account : accounts) {
      long version = lastVersion.get(account);
      var page =
          get(
              config().queryUrl()
                  + "/api/v1/accounts/"
                  + account
                  + "/transactions?size=100&minVersion="
                  + version);
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      JsonNode items = page.json().get("items");
      long sum = 0;
      for (int i = 0; i < items.size(); i++) {
        // Newest first, one per sequence number: nothing missing, nothing twice.
        assertThat(items.get(i).get("sequence").asLong()).as(account).isEqualTo(version - i);
        sum += items.get(i).get("signedAmount").asLong();
      }
      assertThat(items.get(0).get("balanceAfter").asLong()).isEqualTo(lastBalance.get(account));
      assertThat(sum).as("the movements add up to the balance").isEqualTo(lastBalance.get(account));
    }
    deletePreviousIndex(done);
  }

  private static void deletePreviousIndex(JsonNode rebuild) {
    var deleted =
        Ledgerline.send(
            HttpRequest.newBuilder(
                    URI.create(
                        config().queryUrl()
                            + "/api/v1/admin/rebuilds/"
                            + rebuild.get("rebuildId").asText()
                            + "/previous-index"))
                .DELETE()
                .build());
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
  }

  /**
   * Deposits in the background, round-robin over the accounts, each account's last answered balance
   * and version kept, until stopped or {@code each} deposits an account were made.
   */
  private static final class Deposits {
    final Map<String, Long> lastBalance = new ConcurrentHashMap<>();
    final Map<String, Long> lastVersion = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread writer;

    Deposits(List<String> accounts, int each) {
      long total = (long) each * accounts.size();
      writer =
          new Thread(
              () -> {
                for (long i = 0; running.get() && i < total; i++) {
                  String account = accounts.get((int) (i % accounts.size()));
                  var response = command(account, "deposits", "{\"amount\":" + (1 + i % 7) + "}");
                  if (response.status() == 200) {
                    lastBalance.put(account, response.json().get("balance").asLong());
                    lastVersion.put(account, response.json().get("version").asLong());
                  }
                }
              });
      writer.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      writer.join();
    }
  }

  private static JsonNode rebuildToTheEnd(String projection) {
    var started =
        post(
            config().queryUrl() + "/api/v1/admin/rebuilds",
            "{\"projection\":\"" + projection + "\"}",
            Map.of());
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String id = started.json().get("rebuildId").asText();
    JsonNode[] progress = new JsonNode[1];
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              progress[0] = get(config().queryUrl() + "/api/v1/admin/rebuilds/" + id).json();
              return progress[0].get("done").asBoolean()
                  || "FAILED".equals(progress[0].get("phase").asText());
            });
    return progress[0];
  }

  @Test
  void theRebuildCommandAuthenticatesItselfAndFollowsTheRebuildToItsEnd() throws Exception {
    var output = new java.io.ByteArrayOutputStream();
    boolean done =
        io.ledgerline.infra.localstack.RebuildCommand.run(
            config(), "transfers", new java.io.PrintStream(output));
    assertThat(done).as(output.toString()).isTrue();
    assertThat(output.toString()).contains("started").contains("\"done\":true");
  }

  @Test
  void onlyKnownProjectionsCanBeRebuilt() {
    var response =
        post(
            config().queryUrl() + "/api/v1/admin/rebuilds",
            "{\"projection\":\"../etc\"}",
            Map.of());
    assertThat(response.status()).isEqualTo(400);
  }
}
