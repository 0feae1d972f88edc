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

/** Rebuilding the accounts read model while commands keep coming: nothing lost, parity checked. */
@SystemTest
@Order(40)
class RebuildIT {

  @Test
  void theAccountsReadModelIsRebuiltUnderLoadAndSwitchedOnlyAfterParity() throws Exception {
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      accounts.add(openAccount("EUR", "rebuild"));
    }
    Map<String, Long> lastBalance = new ConcurrentHashMap<>();
    Map<String, Long> lastVersion = new ConcurrentHashMap<>();
    AtomicBoolean load = new AtomicBoolean(true);
    Thread writer =
        new Thread(
            () -> {
              int i = 0;
              while (load.get()) {
                String account = accounts.get(i++ % accounts.size());
                var response = command(account, "deposits", "{\"amount\":3}");
                if (response.status() == 200) {
                  lastBalance.put(account, response.json().get("balance").asLong());
                  lastVersion.put(account, response.json().get("version").asLong());
                }
              }
            });
    writer.start();
    JsonNode done;
    try {
      var started =
          post(
              config().queryUrl() + "/api/v1/admin/rebuilds",
              "{\"projection\":\"accounts\"}",
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
      done = progress[0];
    } finally {
      load.set(false);
      writer.join();
    }

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
    var deleted =
        Ledgerline.send(
            HttpRequest.newBuilder(
                    URI.create(
                        config().queryUrl()
                            + "/api/v1/admin/rebuilds/"
                            + done.get("rebuildId").asText()
                            + "/previous-index"))
                .DELETE()
                .build());
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
    assertThat(get(config().elasticsearchUrl() + "/" + previousIndex).status()).isEqualTo(404);
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
