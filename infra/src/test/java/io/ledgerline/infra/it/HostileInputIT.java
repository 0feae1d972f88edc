package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
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
    for (int i = 0; i < HOSTILE.size(); i++) {
      assertThat(events.get(i + 1).get("payload").get("reference").asText())
          .isEqualTo(HOSTILE.get(i));
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
      assertThat(stream.get(1).get("payload").get("reason").asText()).isEqualTo(text);
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
