package io.ledgerline.infra.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerline.infra.localstack.StackConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What a system test talks to: both HTTP APIs, the event store, Kafka and Elasticsearch. */
public final class Ledgerline {

  public static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Ledgerline() {}

  public static StackConfig config() {
    return LocalStackExtension.RunningStack.config();
  }

  /** An HTTP answer with its body parsed as JSON (null when empty or not JSON). */
  public record Response(int status, HttpHeaders headers, String body) {
    public JsonNode json() {
      try {
        return body == null || body.isBlank() ? null : JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public String contentType() {
      return header("Content-Type");
    }
  }

  public static Response post(String url, String json, Map<String, String> headers) {
    return post(url, json, headers, Duration.ofSeconds(30));
  }

  /**
   * A POST that may take longer than the usual 30 s, such as a reconciliation or integrity check of
   * a whole store while the projections are still catching up on the same two cores.
   */
  public static Response post(
      String url, String json, Map<String, String> headers, Duration timeout) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(request::setHeader);
    return send(request.build());
  }

  public static Response put(String url, String json, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(request::setHeader);
    return send(request.build());
  }

  public static Response delete(String url, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).DELETE();
    headers.forEach(request::setHeader);
    return send(request.build());
  }

  public static Response get(String url) {
    return send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build());
  }

  /**
   * Sends a request; calls to the services carry a token of the role their path needs (operator,
   * auditor for the audit API, admin for the admin API and owners' personal data) unless the
   * request has one already.
   */
  public static Response send(HttpRequest request) {
    String url = request.uri().toString();
    boolean toService =
        url.startsWith(config().commandUrl())
            || url.startsWith(config().queryUrl())
            || isExtraService(url);
    boolean anonymous = request.headers().firstValue("X-Test-Anonymous").isPresent();
    if (toService && !anonymous && request.headers().firstValue("Authorization").isEmpty()) {
      request =
          HttpRequest.newBuilder(request, (name, value) -> true)
              .header("Authorization", "Bearer " + tokenFor(url))
              .build();
    }
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static final Map<String, String> TOKENS = new java.util.concurrent.ConcurrentHashMap<>();

  private static boolean isExtraService(String url) {
    return url.matches("http://127\\.0\\.0\\.1:281\\d\\d/.*");
  }

  /** The token the system tests use for a path: admin, auditor or operator. */
  public static String tokenFor(String url) {
    String role =
        url.contains("/api/v1/admin/") || url.contains("/api/v1/owners/")
            ? "admin"
            : url.contains("/api/v1/audit/") ? "auditor" : "operator";
    return token(role, "system-test-" + role);
  }

  /** A development token of the test stack for {@code subject} with {@code role}. */
  public static String token(String role, String subject) {
    return TOKENS.computeIfAbsent(
        role + "|" + subject,
        key -> {
          try {
            return new io.ledgerline.infra.localstack.DevTokens(config())
                .issue(subject, java.util.List.of(role), Duration.ofHours(2));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** {@code POST /api/v1/accounts} on the command side. */
  public static Response openAccount(String json) {
    return post(config().commandUrl() + "/api/v1/accounts", json, Map.of());
  }

  /** Opens an account and returns its id. */
  public static String openAccount(String currency, String ownerId) {
    Response response =
        openAccount(
            JSON.createObjectNode().put("currency", currency).put("ownerId", ownerId).toString());
    if (response.status() != 201) {
      throw new AssertionError("open account failed: " + response);
    }
    return response.json().get("accountId").asText();
  }

  /** {@code POST /api/v1/transfers} on the command side, with an optional reference. */
  public static Response transfer(String from, String to, long amount, String reference) {
    var body =
        JSON.createObjectNode()
            .put("fromAccountId", from)
            .put("toAccountId", to)
            .put("amount", amount);
    if (reference != null) {
      body.put("reference", reference);
    }
    return post(config().commandUrl() + "/api/v1/transfers", body.toString(), Map.of());
  }

  /** Requests a transfer, expects it accepted (202, REQUESTED) and returns its id. */
  public static String requestTransfer(String from, String to, long amount) {
    return requestTransfer(from, to, amount, null);
  }

  /** As {@link #requestTransfer(String, String, long)}, with a reference. */
  public static String requestTransfer(String from, String to, long amount, String reference) {
    Response response = transfer(from, to, amount, reference);
    if (response.status() != 202 || !"REQUESTED".equals(response.json().get("status").asText())) {
      throw new AssertionError("transfer request not accepted: " + response);
    }
    return response.json().get("transferId").asText();
  }

  public static Response command(String accountId, String action, String json) {
    return command(accountId, action, json, Map.of());
  }

  public static Response command(
      String accountId, String action, String json, Map<String, String> headers) {
    return post(
        config().commandUrl() + "/api/v1/accounts/" + accountId + "/" + action, json, headers);
  }

  /** {@code GET /api/v1/accounts/{id}} on the query side. */
  public static Response queryAccount(String accountId) {
    return get(config().queryUrl() + "/api/v1/accounts/" + accountId);
  }

  /** The account from the query side once it is projected. */
  public static com.fasterxml.jackson.databind.JsonNode queryAccountAwait(String accountId) {
    return AccountSliceIT.awaitProjected(accountId, 0);
  }

  /** Every event the query side's projections parked, read page by page. */
  public static java.util.List<JsonNode> deadLetters() {
    java.util.List<JsonNode> letters = new java.util.ArrayList<>();
    String cursor = null;
    do {
      Response response =
          get(
              config().queryUrl()
                  + "/api/v1/admin/dead-letters?size=500"
                  + (cursor == null ? "" : "&cursor=" + cursor));
      if (response.status() != 200) {
        throw new AssertionError("dead letters: " + response);
      }
      response.json().get("items").forEach(letters::add);
      JsonNode next = response.json().get("nextCursor");
      cursor = next == null || next.isNull() ? null : next.asText();
    } while (cursor != null);
    return letters;
  }

  /** A connection to the event store as the services' database user. */
  public static Connection database() throws SQLException {
    return DriverManager.getConnection(
        config().jdbcUrl(), config().postgresUser(), config().postgresPassword());
  }

  /**
   * Appends whole account histories straight into the event store in one statement, as a restore or
   * a bulk import would: accounts {@code <prefix>1} to {@code <prefix><accounts>}, owned by {@code
   * prefix}, each an {@code AccountOpened} and {@code eventsPerAccount - 1} deposits of 1. The
   * database's trigger chains them like every append.
   */
  public static void appendAccountHistories(String prefix, int accounts, int eventsPerAccount)
      throws SQLException {
    try (Connection db = database();
        java.sql.Statement insert = db.createStatement()) {
      insert.execute(
          "insert into domain_event_entry (event_identifier, aggregate_identifier,"
              + " sequence_number, type, time_stamp, payload_type, payload, meta_data)"
              + " select md5(random()::text || a || '-' || s)::uuid::text, '"
              + prefix
              + "' || a, s, 'Account',"
              + " to_char(now() at time zone 'utc', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
              + " case when s = 0 then 'io.ledgerline.events.AccountOpened'"
              + "      else 'io.ledgerline.events.FundsDeposited' end,"
              + " convert_to(case when s = 0 then"
              + "   '{\"accountId\":\""
              + prefix
              + "' || a || '\",\"ownerId\":\""
              + prefix
              + "\",\"currency\":\"EUR\",\"overdraftLimitMinor\":0}'"
              + " else '{\"accountId\":\""
              + prefix
              + "' || a || '\",\"amountMinor\":1,\"currency\":\"EUR\",\"balanceAfterMinor\":' || s"
              + "   || ',\"reference\":null}' end, 'UTF8'),"
              + " convert_to('{}', 'UTF8')"
              + " from generate_series(1, "
              + accounts
              + ") a, generate_series(0, "
              + (eventsPerAccount - 1)
              + ") s order by a, s");
    }
  }

  /** A Kafka consumer in a group of its own, reading from the beginning. */
  public static KafkaConsumer<String, byte[]> kafkaConsumer() {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config().kafkaBootstrap());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "system-test-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    properties.put(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    properties.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(properties);
  }
}
