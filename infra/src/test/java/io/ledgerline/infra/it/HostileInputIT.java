package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerline.events.SealedText;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed and hostile requests against both APIs: none may get a 5xx or store
 * anything, both services stay healthy, and hostile text in valid fields is kept verbatim.
 */
@SystemTest
@Order(60)
class HostileInputIT {

  private static final List<String> HOSTILE =
      List.of(
          "'; DROP TABLE domain_event_entry; --",
          "\" OR 1=1 --",
          "{\"query\":{\"match_all\":{}}}",
          "{\"script\":{\"source\":\"ctx._source.balance = 1000000\"}}",
          "*:* OR ownerId:*",
          "<script>alert('x')</script>",
          "${jndi:ldap://127.0.0.1/a}",
          "../../../../etc/passwd",
          "\u0000\u0001\u202e",
          "%00%0d%0aSet-Cookie: a=b");

  @Test
  void malformedAndHostileRequestsNeverGetA5xxNorStoreAnything() throws Exception {
    String account = openAccount("EUR", "fuzz-target");
    command(account, "deposits", "{\"amount\":100}");
    long eventsBefore = eventCount();
    Random random = new Random(20261124);
    List<String> serverErrors = new ArrayList<>();
    int sent = 0;
    for (int i = 0; i < 2500; i++) {
      HttpRequest request = hostileRequest(random, account);
      var response = Ledgerline.send(request);
      sent++;
      if (response.status() >= 500) {
        serverErrors.add(
            request.method()
                + " "
                + request.uri()
                + " -> "
                + response.status()
                + " "
                + response.body());
      }
      if (response.status() >= 400 && response.status() != 429) {
        assertThat(response.contentType())
            .as(request.uri().toString())
            .startsWith("application/problem+json");
        assertThat(response.body()).doesNotContain("at io.ledgerline").doesNotContain("Exception:");
      }
    }
    assertThat(serverErrors).as("of " + sent + " requests").isEmpty();
    assertThat(eventCount()).as("events stored by malformed requests").isEqualTo(eventsBefore);
    assertThat(get(config().commandUrl() + "/actuator/health/readiness").status()).isEqualTo(200);
    assertThat(get(config().queryUrl() + "/actuator/health/readiness").status()).isEqualTo(200);
  }

  @Test
  void hostileTextInFreeTextFieldsIsStoredAndReturnedVerbatim() {
    String account = openAccount("EUR", "verbatim");
    for (String text : HOSTILE) {
      String json = "{\"amount\":1,\"reference\":" + Ledgerline.JSON.valueToTree(text) + "}";
      assertThat(command(account, "deposits", json).status()).as(text).isEqualTo(200);
    }
    AccountSliceIT.awaitProjected(account, HOSTILE.size());
    List<String> references = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              references.clear();
              get(config().queryUrl()
                      + "/api/v1/accounts/"
                      + account
                      + "/transactions?order=asc&size=100")
                  .json()
                  .get("items")
                  .forEach(t -> references.add(t.get("reference").asText()));
              assertThat(references).containsExactlyElementsOf(HOSTILE);
            });
    JsonNode events =
        get(config().queryUrl() + "/api/v1/audit/aggregates/" + account + "/events")
            .json()
            .get("items");
    // Stored sealed (personal data), opened verbatim for the auditors.
    for (int i = 0; i < HOSTILE.size(); i++) {
      assertThat(events.get(i + 1).get("personalData").get("reference").asText())
          .isEqualTo(HOSTILE.get(i));
      assertThat(events.get(i + 1).get("payload").get("reference").asText())
          .matches(SealedText.PATTERN);
    }
    // In a freeze reason and as an owner id too.
    for (String text : HOSTILE) {
      String owned =
          Ledgerline.openAccount("EUR", text.replace("\u0000", "").replace("\u0001", ""));
      var account2 = Ledgerline.queryAccountAwait(owned);
      assertThat(account2.get("ownerId").asText())
          .isEqualTo(text.replace("\u0000", "").replace("\u0001", ""));
      var frozen =
          command(owned, "freeze", "{\"reason\":" + Ledgerline.JSON.valueToTree(text) + "}");
      assertThat(frozen.status()).as(text).isEqualTo(200);
      var stream =
          get(config().queryUrl() + "/api/v1/audit/aggregates/" + owned + "/events")
              .json()
              .get("items");
      assertThat(stream.get(1).get("personalData").get("reason").asText()).isEqualTo(text);
    }
    // Hostile text as a search value is a value, never query syntax.
    for (String text : HOSTILE) {
      var search =
          get(
              config().queryUrl()
                  + "/api/v1/accounts?ownerId="
                  + URLEncoder.encode(text, StandardCharsets.UTF_8));
      assertThat(search.status()).as(text).isIn(200, 400);
      if (search.status() == 200) {
        // Only the account whose owner is literally this text: a wildcard matched nothing more.
        search
            .json()
            .get("items")
            .forEach(item -> assertThat(item.get("ownerId").asText()).isEqualTo(text));
        assertThat(search.json().get("items").size()).as(text).isLessThanOrEqualTo(1);
      }
    }
  }

  /** Bodies a lenient parser would read somehow; strict JSON refuses every one. */
  private static final List<String> LENIENT_DEPOSITS =
      List.of(
          "{\"amount\":\"10\"}",
          "{\"amount\":\"\"}",
          "{\"amount\":1,\"amount\":2}",
          "{\"amount\":1}{\"amount\":1}",
          "{\"amount\":1} x",
          "{\"amount\":1} 2",
          "{\"amount\":true}",
          "{\"amount\":1.5}",
          "{\"amount\":1.0}",
          "{\"amount\":1,\"unknown\":1}",
          "{\"amount\":1,\"reference\":5}");

  @Test
  void lenientJsonOnADepositIsAProblemAndAppliesNothing() throws Exception {
    String account = openAccount("EUR", "strict-json");
    var first = command(account, "deposits", "{\"amount\":100}");
    assertThat(first.status()).isEqualTo(200);
    long version = first.json().get("version").asLong();

    for (String body : LENIENT_DEPOSITS) {
      var response = command(account, "deposits", body);
      assertThat(response.status()).as(body).isEqualTo(400);
      assertThat(response.contentType()).as(body).startsWith("application/problem+json");
      assertThat(response.json().get("type").asText())
          .as(body)
          .isIn("urn:ledgerline:problem:malformed-json", "urn:ledgerline:problem:unknown-field");
    }

    // Nothing was applied: the next deposit follows the first directly.
    var next = command(account, "deposits", "{\"amount\":1}");
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.json().get("version").asLong()).isEqualTo(version + 1);
    assertThat(next.json().get("balance").asLong()).isEqualTo(101);
    assertThat(CommandApiIT.eventCount(account, "FundsDeposited")).isEqualTo(2);
  }

  @Test
  void lenientJsonOnAQuerySidePostIsAProblem() {
    String url = config().queryUrl() + "/api/v1/audit/verify";
    for (String body :
        List.of(
            "{\"aggregateId\":1}",
            "{\"aggregateId\":1.0}",
            "{\"aggregateId\":true}",
            "{\"aggregateId\":\"a\",\"aggregateId\":\"b\"}",
            "{\"aggregateId\":\"a\"}{\"aggregateId\":\"a\"}",
            "{\"aggregateId\":\"a\"} x",
            "{\"aggregateId\":\"a\",\"unknown\":1}")) {
      var response = Ledgerline.post(url, body, Map.of());
      assertThat(response.status()).as(body).isEqualTo(400);
      assertThat(response.contentType()).as(body).startsWith("application/problem+json");
      assertThat(response.json().get("type").asText())
          .as(body)
          .isIn("urn:ledgerline:problem:malformed-json", "urn:ledgerline:problem:unknown-field");
    }
  }

  @Test
  void aQuerySideBodyOver16KbIsRefusedWith413DeclaredOrStreamed() {
    String url = config().queryUrl() + "/api/v1/audit/verify";
    // Valid JSON whose only excess is whitespace: the size alone is refused.
    String big = "{\"aggregateId\":\"x\"" + " ".repeat(20_000) + "}";

    var declared = Ledgerline.post(url, big, Map.of());
    var streamed =
        Ledgerline.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build());

    for (var response : List.of(declared, streamed)) {
      assertThat(response.status()).as(response.body()).isEqualTo(413);
      assertThat(response.contentType()).startsWith("application/problem+json");
      assertThat(response.json().get("type").asText())
          .isEqualTo("urn:ledgerline:problem:payload-too-large");
    }
  }

  @Test
  void tamperedForeignAndMismatchedCursorsAreBadRequestsNeverErrors() {
    String q = config().queryUrl() + "/api/v1";
    String owner = "cursor-owner-" + System.nanoTime();
    String from = openAccount("EUR", owner);
    String to = openAccount("EUR", owner);
    command(from, "deposits", "{\"amount\":100}");
    var transfer =
        Ledgerline.post(
            config().commandUrl() + "/api/v1/transfers",
            "{\"fromAccountId\":\"" + from + "\",\"toAccountId\":\"" + to + "\",\"amount\":1}",
            Map.of());
    assertThat(transfer.status()).isEqualTo(202);
    String accounts = q + "/accounts?ownerId=" + owner + "&size=1";
    String transfers = q + "/transfers?accountId=" + from + "&size=1";
    String accountsCursor = awaitNextCursor(accounts);
    String transfersCursor = awaitNextCursor(transfers);

    // A genuine cursor, passed back unchanged, goes on.
    assertThat(get(accounts + "&cursor=" + accountsCursor).status()).isEqualTo(200);
    assertThat(get(transfers + "&cursor=" + transfersCursor).status()).isEqualTo(200);

    Map<String, String> refused = new java.util.LinkedHashMap<>();
    refused.put("another list's cursor on accounts", accounts + "&cursor=" + transfersCursor);
    refused.put("another list's cursor on transfers", transfers + "&cursor=" + accountsCursor);
    refused.put(
        "a cursor with another sort",
        accounts + "&sort=balance&order=desc&cursor=" + accountsCursor);
    refused.put(
        "a cursor with other filters",
        q + "/transfers?accountId=" + to + "&size=1&cursor=" + transfersCursor);
    for (String cursor : List.of(accountsCursor, transfersCursor)) {
      String list = cursor.equals(accountsCursor) ? accounts : transfers;
      int dot = cursor.indexOf('.');
      if (dot < 0) {
        continue; // an unsigned cursor: the check after the loop below fails on it
      }
      refused.put("a changed payload of " + list, list + "&cursor=" + flip(cursor, dot / 2));
      refused.put("a changed signature of " + list, list + "&cursor=" + flip(cursor, dot + 3));
      refused.put("a truncated cursor of " + list, list + "&cursor=" + cursor.substring(0, dot));
    }
    // Well-formed cursors of the old unsigned kind whose sort values do not fit the sort.
    for (String payload :
        List.of(
            "{\"pit\":\"x\",\"after\":[{\"s\":\"x\"},{\"s\":\"y\"}]}",
            "{\"after\":[{\"l\":1}]}",
            "{\"after\":[{\"b\":true},{\"d\":1.5},{\"l\":1}]}",
            "{\"v\":1,\"l\":\"accounts\",\"f\":\"x\",\"t\":0,"
                + "\"s\":{\"after\":[{\"s\":\"x\"},{\"l\":1}]}}")) {
      String forged =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(payload.getBytes(StandardCharsets.UTF_8));
      refused.put("mismatched sort values on accounts: " + payload, accounts + "&cursor=" + forged);
      refused.put(
          "mismatched sort values on transfers: " + payload, transfers + "&cursor=" + forged);
      refused.put(
          "a forged signature on accounts: " + payload,
          accounts
              + "&cursor="
              + forged
              + "."
              + accountsCursor.substring(dotOf(accountsCursor) + 1));
    }

    refused.forEach(
        (what, url) -> {
          var response = get(url);
          assertThat(response.status()).as(what + ": " + response.body()).isEqualTo(400);
          assertThat(response.contentType()).as(what).startsWith("application/problem+json");
          assertThat(response.json().get("type").asText())
              .as(what)
              .isEqualTo("urn:ledgerline:problem:validation");
          assertThat(response.json().get("parameter").asText()).as(what).isEqualTo("cursor");
        });
    assertThat(List.of(accountsCursor, transfersCursor))
        .as("cursors are signed: payload.signature")
        .allMatch(cursor -> dotOf(cursor) > 0);
  }

  private static String awaitNextCursor(String url) {
    String[] cursor = new String[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              var page = get(url);
              JsonNode next = page.status() == 200 ? page.json().get("nextCursor") : null;
              cursor[0] = next == null || next.isNull() ? null : next.asText();
              return cursor[0] != null;
            });
    return cursor[0];
  }

  private static int dotOf(String cursor) {
    return cursor.indexOf('.');
  }

  /** The cursor with the character at {@code index} replaced by another URL-safe one. */
  private static String flip(String cursor, int index) {
    char flipped = cursor.charAt(index) == 'A' ? 'B' : 'A';
    return cursor.substring(0, index) + flipped + cursor.substring(index + 1);
  }

  @Test
  void aClientOverItsRateLimitGets429WithRetryAfter() throws Exception {
    try (ServiceProcess limited =
        ServiceProcess.start(
            "query-side",
            28185,
            Map.of(
                "SPRING_DATASOURCE_URL", config().jdbcUrl(),
                "SPRING_DATASOURCE_USERNAME", config().postgresUser(),
                "SPRING_DATASOURCE_PASSWORD", config().postgresPassword(),
                "SPRING_KAFKA_BOOTSTRAP_SERVERS", config().kafkaBootstrap(),
                "SPRING_ELASTICSEARCH_URIS", config().elasticsearchUrl(),
                "LEDGERLINE_API_RATE_LIMIT_PER_SECOND", "2",
                "LEDGERLINE_API_RATE_LIMIT_BURST", "5",
                "SPRING_KAFKA_CONSUMER_GROUP_ID", "rate-limit-test"))) {
      await()
          .atMost(Duration.ofMinutes(2))
          .ignoreExceptions()
          .until(() -> get(limited.url() + "/actuator/health/liveness").status() == 200);
      List<Integer> statuses = new ArrayList<>();
      Ledgerline.Response limitedResponse = null;
      for (int i = 0; i < 20; i++) {
        var response = get(limited.url() + "/api/v1/dashboard/totals");
        statuses.add(response.status());
        if (response.status() == 429) {
          limitedResponse = response;
        }
      }
      assertThat(statuses).contains(429);
      assertThat(limitedResponse.header("Retry-After")).isNotBlank();
      assertThat(limitedResponse.json().get("type").asText())
          .isEqualTo("urn:ledgerline:problem:rate-limited");
    }
  }

  @Test
  void theRateLimitHoldsAcrossInstancesAndBeforeTokenVerification() throws Exception {
    Map<String, String> environment =
        Map.of(
            "SPRING_DATASOURCE_URL",
            config().jdbcUrl(),
            "SPRING_DATASOURCE_USERNAME",
            config().postgresUser(),
            "SPRING_DATASOURCE_PASSWORD",
            config().postgresPassword(),
            "SPRING_KAFKA_BOOTSTRAP_SERVERS",
            config().kafkaBootstrap(),
            "LEDGERLINE_API_RATE_LIMIT_PER_SECOND",
            "2",
            "LEDGERLINE_API_RATE_LIMIT_BURST",
            "20",
            "LEDGERLINE_API_RATE_LIMIT_PER_ADDRESS_PER_SECOND",
            "20",
            "LEDGERLINE_API_RATE_LIMIT_PER_ADDRESS_BURST",
            "40");
    try (ServiceProcess first = ServiceProcess.start("command-side", 28186, environment);
        ServiceProcess second = ServiceProcess.start("command-side", 28187, environment)) {
      for (ServiceProcess instance : List.of(first, second)) {
        await()
            .atMost(Duration.ofMinutes(3))
            .ignoreExceptions()
            .until(() -> get(instance.url() + "/actuator/health/liveness").status() == 200);
      }
      List<String> urls =
          List.of(first.url() + "/api/v1/transfers/", second.url() + "/api/v1/transfers/");

      // One client (a subject of its own) spread over both instances, as a load balancer would.
      String token = "Bearer " + Ledgerline.token("operator", "rate-limit-" + System.nanoTime());
      List<Integer> statuses = new ArrayList<>();
      long started = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        statuses.add(
            Ledgerline.send(
                    HttpRequest.newBuilder(URI.create(urls.get(i % 2) + "t-" + i))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", token)
                        .GET()
                        .build())
                .status());
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      long admitted = statuses.stream().filter(status -> status != 429).count();
      // Each instance may grant a tenth of a second's worth (at least 1 token) unseen by the other
      // before it syncs; each limiting alone would admit 20 + 2/s apiece.
      long slack = 2 * 2 * 1;
      assertThat(statuses).contains(429);
      assertThat(admitted)
          .as("admitted in %.1f s: %s", seconds, statuses)
          .isLessThanOrEqualTo(20 + (long) Math.ceil(2 * seconds) + slack);

      // The address's bucket (40, then 20/s) refills; the client above left its debt in it.
      Thread.sleep(3_000);
      // Tokens with forged signatures and a new subject each: 401 until the address's limit, then
      // 429 without any signature check. Sent until 20 were refused, however slow the machine.
      Random random = new Random(20261130);
      Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
      List<Integer> forged = new ArrayList<>();
      started = System.nanoTime();
      int refused = 0;
      for (int i = 0; i < 2_000 && refused < 20; i++) {
        byte[] signature = new byte[256];
        random.nextBytes(signature);
        String payload = "{\"sub\":\"forged-" + i + "\",\"roles\":[\"operator\"]}";
        String jwt =
            base64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
                + "."
                + base64.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "."
                + base64.encodeToString(signature);
        int status =
            Ledgerline.send(
                    HttpRequest.newBuilder(URI.create(urls.get(i % 2) + "t-" + i))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + jwt)
                        .GET()
                        .build())
                .status();
        forged.add(status);
        refused += status == 429 ? 1 : 0;
      }
      seconds = (System.nanoTime() - started) / 1e9;
      long verified = forged.stream().filter(status -> status == 401).count();
      assertThat(forged).containsOnly(401, 429).contains(401, 429);
      assertThat(verified)
          .as("signature checks in %.1f s: %s", seconds, forged)
          .isLessThanOrEqualTo(40 + (long) Math.ceil(20 * seconds) + 2 * 2 * 2);
    }
  }

  private static HttpRequest hostileRequest(Random random, String account) {
    String c = config().commandUrl() + "/api/v1";
    String q = config().queryUrl() + "/api/v1";
    String hostile = HOSTILE.get(random.nextInt(HOSTILE.size()));
    String encoded = URLEncoder.encode(hostile, StandardCharsets.UTF_8);
    List<String> invalidBodies =
        List.of(
            "",
            "{",
            "null",
            "[]",
            "\"amount\"",
            "{\"amount\":" + hostileNumber(random) + "}",
            "{\"amount\":\"" + hostile.replace("\"", "") + "\"}",
            "{\"amount\":1,\"" + hostile.replace("\"", "") + "\":1}",
            "{\"amount\":1,\"reference\":" + "[".repeat(200) + "]".repeat(200) + "}",
            "{\"amount\":1,\"reference\":\"" + "x".repeat(20_000) + "\"}",
            "{\"currency\":\"" + hostile.replace("\"", "") + "\"}",
            "{\"fromAccountId\":\""
                + account
                + "\",\"toAccountId\":\""
                + account
                + "\",\"amount\":1}",
            "{\"fromAccountId\":null,\"toAccountId\":\"x\",\"amount\":1}",
            new String(randomBytes(random), StandardCharsets.ISO_8859_1));
    String body = invalidBodies.get(random.nextInt(invalidBodies.size()));
    List<String> posts =
        List.of(
            c + "/accounts",
            c + "/accounts/" + account + "/deposits",
            c + "/accounts/" + account + "/withdrawals",
            c + "/transfers",
            c + "/accounts/" + encoded + "/deposits");
    List<String> gets =
        List.of(
            q + "/accounts/" + encoded,
            q
                + "/accounts?ownerId="
                + encoded
                + "&size="
                + random.nextInt(1000) * (random.nextBoolean() ? -1 : 1),
            q + "/accounts?status=" + encoded,
            q + "/accounts?sort=" + encoded,
            q + "/accounts?cursor=" + encoded,
            q + "/accounts/" + account + "/transactions?from=" + encoded,
            q + "/transfers?status=" + encoded,
            q + "/dashboard/volume?currency=EUR&interval=" + encoded,
            q + "/audit/events?after=" + encoded,
            q + "/audit/accounts/" + account + "/state?at=" + encoded,
            c + "/transfers/" + encoded);
    if (random.nextBoolean()) {
      String contentType =
          List.of(
                  "application/json",
                  "text/plain",
                  "application/xml",
                  "application/x-www-form-urlencoded",
                  "application/json; charset=EBCDIC")
              .get(random.nextInt(5));
      HttpRequest.Builder post =
          HttpRequest.newBuilder(URI.create(posts.get(random.nextInt(posts.size()))))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", contentType)
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.ISO_8859_1));
      if (random.nextInt(4) == 0) {
        post.header("If-Match", hostile.replaceAll("[\\r\\n\\x00-\\x1f\\u202e]", "x"));
      }
      if (random.nextInt(4) == 0) {
        post.header("Idempotency-Key", "k".repeat(random.nextInt(400)) + "é");
      }
      return post.build();
    }
    return HttpRequest.newBuilder(URI.create(gets.get(random.nextInt(gets.size()))))
        .timeout(Duration.ofSeconds(30))
        .GET()
        .build();
  }

  private static String hostileNumber(Random random) {
    return List.of("-1", "0", "1e999", "99999999999999999999999999", "1.5", "NaN", "0x10", "-0")
        .get(random.nextInt(8));
  }

  private static byte[] randomBytes(Random random) {
    byte[] bytes = new byte[random.nextInt(300)];
    random.nextBytes(bytes);
    return bytes;
  }

  private static long eventCount() throws Exception {
    try (Connection db = Ledgerline.database();
        Statement statement = db.createStatement();
        ResultSet row = statement.executeQuery("select count(*) from domain_event_entry")) {
      row.next();
      return row.getLong(1);
    }
  }
}
