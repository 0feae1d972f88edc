package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static io.ledgerline.infra.it.Ledgerline.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The command API on the real stack: retries, concurrency, transfers and error contracts. */
@SystemTest
class CommandApiIT {

  @Test
  void aRetryWithTheSameKeyAndBodyReturnsTheFirstResponseWithoutASecondEffect() throws Exception {
    String account = openAccount("EUR", "retry-owner");
    Map<String, String> key = Map.of("Idempotency-Key", "deposit-" + account);

    var first = command(account, "deposits", "{\"amount\":700}", key);
    var retry = command(account, "deposits", "{\"amount\":700}", key);

    assertThat(first.status()).isEqualTo(200);
    assertThat(retry.status()).isEqualTo(200);
    assertThat(retry.body()).isEqualTo(first.body());
    assertThat(retry.header("ETag")).isEqualTo(first.header("ETag"));
    assertThat(eventCount(account, "FundsDeposited")).isEqualTo(1);
  }

  @Test
  void theSameKeyWithAnotherBodyIsRejectedAndChangesNothing() throws Exception {
    String account = openAccount("EUR", "retry-owner");
    Map<String, String> key = Map.of("Idempotency-Key", "reuse-" + account);
    command(account, "deposits", "{\"amount\":700}", key);

    var reused = command(account, "deposits", "{\"amount\":701}", key);

    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.json().get("type").asText())
        .isEqualTo("urn:ledgerline:problem:idempotency-conflict");
    assertThat(eventCount(account, "FundsDeposited")).isEqualTo(1);
  }

  @Test
  void twentyConcurrentRequestsWithOneKeyHaveExactlyOneEffect() throws Exception {
    String account = openAccount("EUR", "concurrent-owner");
    Map<String, String> key = Map.of("Idempotency-Key", "burst-" + account);

    List<Ledgerline.Response> responses =
        concurrently(20, () -> command(account, "deposits", "{\"amount\":100}", key));

    assertThat(responses).extracting(Ledgerline.Response::status).containsOnly(200);
    assertThat(responses.stream().map(Ledgerline.Response::body).distinct()).hasSize(1);
    assertThat(eventCount(account, "FundsDeposited")).isEqualTo(1);
  }

  @Test
  void twentyConcurrentOpeningsWithOneKeyOpenOneAccount() throws Exception {
    String idempotencyKey = "open-burst-" + System.nanoTime();
    List<Ledgerline.Response> responses =
        concurrently(
            20,
            () ->
                post(
                    config().commandUrl() + "/api/v1/accounts",
                    "{\"currency\":\"EUR\",\"ownerId\":\"burst\"}",
                    Map.of("Idempotency-Key", idempotencyKey)));

    assertThat(responses).extracting(Ledgerline.Response::status).containsOnly(201);
    var ids = responses.stream().map(r -> r.json().get("accountId").asText()).distinct().toList();
    assertThat(ids).hasSize(1);
    try (Connection db = Ledgerline.database();
        PreparedStatement query =
            db.prepareStatement(
                "select count(*) from domain_event_entry where payload_type like '%AccountOpened'"
                    + " and convert_from(meta_data, 'UTF8') like ?")) {
      query.setString(1, "%" + idempotencyKey + "%");
      try (ResultSet row = query.executeQuery()) {
        row.next();
        assertThat(row.getInt(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void aRetryReachingAnotherInstanceGetsTheFirstOutcome() throws Exception {
    String account = openAccount("EUR", "two-instances");
    Map<String, String> key = Map.of("Idempotency-Key", "other-instance-" + account);
    var first = command(account, "deposits", "{\"amount\":300}", key);
    try (ServiceProcess second =
        ServiceProcess.start(
            "command-side",
            28182,
            Map.of(
                "SPRING_DATASOURCE_URL", config().jdbcUrl(),
                "SPRING_DATASOURCE_USERNAME", config().postgresUser(),
                "SPRING_DATASOURCE_PASSWORD", config().postgresPassword(),
                "SPRING_KAFKA_BOOTSTRAP_SERVERS", config().kafkaBootstrap()))) {
      await()
          .atMost(Duration.ofMinutes(2))
          .ignoreExceptions()
          .until(() -> Ledgerline.get(second.url() + "/actuator/health/readiness").status() == 200);

      var retry =
          post(second.url() + "/api/v1/accounts/" + account + "/deposits", "{\"amount\":300}", key);

      assertThat(retry.status()).isEqualTo(200);
      assertThat(retry.body()).isEqualTo(first.body());
      assertThat(eventCount(account, "FundsDeposited")).isEqualTo(1);
    }
  }

  @Test
  void aStaleIfMatchIsRejectedWith412AndAppliesNothing() throws Exception {
    String account = openAccount("EUR", "if-match");
    var deposit = command(account, "deposits", "{\"amount\":100}");
    assertThat(deposit.header("ETag")).isEqualTo("\"1\"");

    var stale = command(account, "withdrawals", "{\"amount\":10}", Map.of("If-Match", "\"0\""));
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.json().get("type").asText())
        .isEqualTo("urn:ledgerline:problem:version-conflict");
    assertThat(eventCount(account, "FundsWithdrawn")).isZero();

    var current = command(account, "withdrawals", "{\"amount\":10}", Map.of("If-Match", "\"1\""));
    assertThat(current.status()).isEqualTo(200);
    assertThat(current.json().get("balance").asLong()).isEqualTo(90);
    assertThat(current.header("ETag")).isEqualTo("\"2\"");
  }

  @Test
  void fiftyConcurrentWithdrawalsTakeExactlyWhatIsAffordable() throws Exception {
    String account = openAccount("EUR", "race");
    command(account, "deposits", "{\"amount\":1000}");

    List<Ledgerline.Response> responses =
        concurrently(50, () -> command(account, "withdrawals", "{\"amount\":30}"));

    Map<Integer, Long> byStatus =
        responses.stream()
            .collect(Collectors.groupingBy(Ledgerline.Response::status, Collectors.counting()));
    assertThat(byStatus).containsOnlyKeys(200, 422);
    assertThat(byStatus.get(200)).isEqualTo(33);
    responses.stream()
        .filter(r -> r.status() == 422)
        .forEach(
            r ->
                assertThat(r.json().get("type").asText())
                    .isEqualTo("urn:ledgerline:problem:insufficient-funds"));
    assertThat(eventCount(account, "FundsWithdrawn")).isEqualTo(33);
    var last = command(account, "deposits", "{\"amount\":1}");
    assertThat(last.json().get("balance").asLong()).isEqualTo(11);
  }

  @Test
  void concurrentDepositsShareTransactionsAndEachGetsItsOwnOutcome() throws Exception {
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      accounts.add(openAccount("EUR", "group-" + i));
    }
    double groupedBefore = commandSideMeter("ledgerline_command_group_size_commands_sum");
    double groupsBefore = commandSideMeter("ledgerline_command_group_size_commands_count");
    double aloneBefore = commandSideMeter("ledgerline_command_group_alone_commands_total");
    java.util.concurrent.atomic.AtomicInteger next =
        new java.util.concurrent.atomic.AtomicInteger();

    // 32 clients, 8 deposits each, on 4 accounts; amounts 1..256 tell every deposit apart.
    List<List<Map.Entry<Integer, Ledgerline.Response>>> perClient =
        concurrently(
            32,
            () -> {
              List<Map.Entry<Integer, Ledgerline.Response>> sent = new ArrayList<>();
              for (int i = 0; i < 8; i++) {
                int amount = next.incrementAndGet();
                sent.add(
                    Map.entry(
                        amount,
                        command(
                            accounts.get(amount % 4), "deposits", "{\"amount\":" + amount + "}")));
              }
              return sent;
            });

    List<Map.Entry<Integer, Ledgerline.Response>> answers =
        perClient.stream().flatMap(List::stream).toList();
    assertThat(answers).extracting(answer -> answer.getValue().status()).containsOnly(200);
    for (String account : accounts) {
      // Each client got its own deposit's answer: in version order, every balance is the one
      // before it plus that client's amount.
      var ofAccount =
          answers.stream()
              .filter(a -> a.getValue().json().get("accountId").asText().equals(account))
              .sorted(
                  java.util.Comparator.comparingLong(
                      a -> a.getValue().json().get("version").asLong()))
              .toList();
      assertThat(ofAccount).hasSize(64);
      long balance = 0;
      for (int i = 0; i < ofAccount.size(); i++) {
        JsonNode answer = ofAccount.get(i).getValue().json();
        balance += ofAccount.get(i).getKey();
        assertThat(answer.get("version").asLong()).isEqualTo(i + 1);
        assertThat(answer.get("balance").asLong()).isEqualTo(balance);
      }
      assertThat(eventCount(account, "FundsDeposited")).isEqualTo(64);
    }
    double grouped = commandSideMeter("ledgerline_command_group_size_commands_sum") - groupedBefore;
    double groups = commandSideMeter("ledgerline_command_group_size_commands_count") - groupsBefore;
    double alone = commandSideMeter("ledgerline_command_group_alone_commands_total") - aloneBefore;
    // Every deposit went through a group, or was handled alone after its group rolled back; and
    // some groups held several deposits.
    assertThat(grouped + alone).isEqualTo(256);
    assertThat(grouped).as("deposits committed in groups").isGreaterThan(groups);
  }

  private static double commandSideMeter(String name) {
    double sum = 0;
    for (String line :
        Ledgerline.get(config().commandUrl() + "/actuator/prometheus").body().split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  @Test
  void aTransferCompletesAndMovesTheMoney() {
    String from = openAccount("EUR", "payer");
    String to = openAccount("EUR", "payee");
    command(from, "deposits", "{\"amount\":500}");

    JsonNode transfer = awaitTransferEnd(Ledgerline.requestTransfer(from, to, 200));

    assertThat(transfer.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(AccountSliceIT.awaitProjected(from, 2).get("balance").asLong()).isEqualTo(300);
    assertThat(AccountSliceIT.awaitProjected(to, 1).get("balance").asLong()).isEqualTo(200);
  }

  @Test
  void aTransferToAFrozenAccountFailsAndRestoresTheSource() {
    String from = openAccount("EUR", "payer");
    String to = openAccount("EUR", "frozen-payee");
    command(from, "deposits", "{\"amount\":500}");
    assertThat(command(to, "freeze", "{\"reason\":\"fraud check\"}").status()).isEqualTo(200);

    JsonNode transfer = awaitTransferEnd(Ledgerline.requestTransfer(from, to, 200));

    assertThat(transfer.get("status").asText()).isEqualTo("FAILED");
    assertThat(transfer.get("reason").asText()).contains("frozen");
    // Debit (2), then its reversal (3): the money is back.
    JsonNode source = AccountSliceIT.awaitProjected(from, 3);
    assertThat(source.get("balance").asLong()).isEqualTo(500);
    assertThat(AccountSliceIT.awaitProjected(to, 2).get("balance").asLong()).isZero();
  }

  @Test
  void aClientThatAsksToWaitGetsTheOutcomeWithoutPollingAndBadWaitsAreRefused() {
    String from = openAccount("EUR", "payer");
    String to = openAccount("EUR", "payee");
    command(from, "deposits", "{\"amount\":500}");
    String transferId = Ledgerline.requestTransfer(from, to, 200);
    String url = config().commandUrl() + "/api/v1/transfers/" + transferId;

    // Out of range: a validation problem naming the parameter; not a whole number: a bad request.
    Map<String, String> refused =
        Map.of(
            "-1", "validation",
            "11", "validation",
            "ten", "bad-request",
            "1.5", "bad-request",
            "99999999999", "bad-request");
    refused.forEach(
        (wait, type) -> {
          var response = Ledgerline.get(url + "?waitSeconds=" + wait);
          assertThat(response.status()).as(wait).isEqualTo(400);
          assertThat(response.contentType()).startsWith("application/problem+json");
          assertThat(response.json().get("type").asText())
              .as(wait)
              .isEqualTo("urn:ledgerline:problem:" + type);
        });

    // One request answers with the outcome. Should the process be slower than the wait on a
    // loaded machine, the answer must not come before the wait's end: that is what this checks.
    JsonNode transfer = null;
    for (int request = 0; request < 6 && transfer == null; request++) {
      long started = System.nanoTime();
      var response = Ledgerline.get(url + "?waitSeconds=5");
      assertThat(response.status()).isEqualTo(200);
      if (!"REQUESTED".equals(response.json().get("status").asText())) {
        transfer = response.json();
      } else {
        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .as("a REQUESTED answer comes only once the wait is over")
            .isGreaterThanOrEqualTo(Duration.ofSeconds(5));
      }
    }
    assertThat(transfer).as("decided within six waits").isNotNull();
    assertThat(transfer.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(transfer.get("amount").asLong()).isEqualTo(200);
  }

  @Test
  void transfersToTheSameAccountOrAnotherCurrencyAreRejectedUpFront() {
    String eur = openAccount("EUR", "x");
    String usd = openAccount("USD", "x");
    var same = Ledgerline.transfer(eur, eur, 1, null);
    assertThat(same.status()).isEqualTo(422);
    assertThat(same.json().get("type").asText()).isEqualTo("urn:ledgerline:problem:same-account");
    var cross = Ledgerline.transfer(eur, usd, 1, null);
    assertThat(cross.status()).isEqualTo(422);
    assertThat(cross.json().get("type").asText())
        .isEqualTo("urn:ledgerline:problem:currency-mismatch");
  }

  @Test
  void badRequestsGetStableProblemTypesAndChangeNothing() throws Exception {
    String account = openAccount("EUR", "bad-input");
    String url = config().commandUrl() + "/api/v1/accounts/" + account + "/deposits";
    record Case(String body, String contentType, int status, String type) {}
    List<Case> cases =
        List.of(
            new Case("{\"amount\":-5}", "application/json", 400, "validation"),
            new Case("{\"amount\":0}", "application/json", 400, "validation"),
            new Case("{\"amount\":12.5}", "application/json", 400, "malformed-json"),
            new Case("{\"amount\":\"lots\"}", "application/json", 400, "malformed-json"),
            new Case("{\"amount\":", "application/json", 400, "malformed-json"),
            new Case("{\"amount\":1,\"admin\":true}", "application/json", 400, "unknown-field"),
            new Case("amount=1", "text/plain", 415, "unsupported-media-type"),
            new Case(
                "{\"amount\":1,\"reference\":\"" + "x".repeat(40_000) + "\"}",
                "application/json",
                413,
                "payload-too-large"));
    for (Case c : cases) {
      var response =
          Ledgerline.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                  .header("Content-Type", c.contentType())
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(c.body()))
                  .build());
      assertThat(response.status())
          .as(c.body().substring(0, Math.min(40, c.body().length())))
          .isEqualTo(c.status());
      assertThat(response.contentType()).startsWith("application/problem+json");
      assertThat(response.json().get("type").asText())
          .isEqualTo("urn:ledgerline:problem:" + c.type());
      assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.");
    }
    var missing = command("no-such-account", "deposits", "{\"amount\":1}");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("type").asText()).isEqualTo("urn:ledgerline:problem:not-found");
    var currency =
        post(config().commandUrl() + "/api/v1/accounts", "{\"currency\":\"ZZZ\"}", Map.of());
    assertThat(currency.status()).isEqualTo(400);
    assertThat(eventCount(account, "FundsDeposited")).isZero();
  }

  private static JsonNode awaitTransferEnd(String transferId) {
    JsonNode[] transfer = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              var response =
                  Ledgerline.get(config().commandUrl() + "/api/v1/transfers/" + transferId);
              transfer[0] = response.json();
              return response.status() == 200
                  && !"REQUESTED".equals(transfer[0].get("status").asText());
            });
    return transfer[0];
  }

  static int eventCount(String aggregateId, String type) throws Exception {
    try (Connection db = Ledgerline.database();
        PreparedStatement query =
            db.prepareStatement(
                "select count(*) from domain_event_entry where aggregate_identifier = ?"
                    + " and payload_type = ?")) {
      query.setString(1, aggregateId);
      query.setString(2, "io.ledgerline.events." + type);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    }
  }

  private static <T> List<T> concurrently(int count, Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      List<Callable<T>> tasks = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        tasks.add(task);
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : pool.invokeAll(tasks)) {
        results.add(future.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
