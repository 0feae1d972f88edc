package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One trace and one correlation id run from a deposit to the query that reads it: the client's W3C
 * {@code traceparent} and {@code X-Correlation-Id} go into the event's metadata in the store (the
 * audit API shows them), the command side publishes the event to Kafka and the query side projects
 * it within that trace, each saying so in a JSON log line with the trace id, and both services
 * answer with the correlation id. The lines that follow one event are DEBUG: the test turns them on
 * through the loggers endpoint, as an operator would, and back off.
 */
@SystemTest
class TracingIT {

  private static final Duration LOGGED = Duration.ofSeconds(90);
  private static final String PUBLISHER = "io.ledgerline.command.publishing.KafkaEventPublisher";
  private static final String PROJECTION = "io.ledgerline.query.projection.ProjectionTracing";
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void oneTraceAndOneCorrelationIdRunFromTheDepositThroughTheStoreAndKafkaToTheQuery() {
    String traceId = randomHex(16);
    String traceparent = "00-" + traceId + "-" + randomHex(8) + "-01";
    String correlationId = "tracing-" + UUID.randomUUID();
    String account = openAccount("EUR", "tracing");
    Map<String, String> traced =
        Map.of("traceparent", traceparent, "X-Correlation-Id", correlationId);

    logLevel(config().commandUrl(), PUBLISHER, "DEBUG");
    logLevel(config().queryUrl(), PROJECTION, "DEBUG");
    try {
      var deposit = command(account, "deposits", "{\"amount\":25}", traced);
      assertThat(deposit.status()).isEqualTo(200);
      assertThat(deposit.header("X-Correlation-Id")).isEqualTo(correlationId);

      // The store keeps the trace and the correlation id with the event; auditors see both.
      JsonNode events =
          get(config().queryUrl() + "/api/v1/audit/aggregates/" + account + "/events")
              .json()
              .get("items");
      JsonNode stored = events.get(1);
      assertThat(stored.get("type").asText()).isEqualTo("FundsDeposited");
      JsonNode metadata = stored.get("metadata");
      assertThat(metadata.get("correlationId").asText()).isEqualTo(correlationId);
      assertThat(metadata.get("traceId").asText()).isEqualTo(traceId);
      // Its span is the command's, a child of the client's: same trace, another span.
      assertThat(metadata.get("traceparent").asText())
          .startsWith("00-" + traceId + "-")
          .isNotEqualTo(traceparent);

      await()
          .atMost(LOGGED)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                assertThat(linesOfTrace("command-side", traceId))
                    .as("the command side's log lines of trace %s", traceId)
                    .anySatisfy(
                        line -> {
                          assertThat(line.get("message").asText())
                              .startsWith("Published FundsDeposited " + account + "@1 ");
                          assertThat(line.get("correlationId").asText()).isEqualTo(correlationId);
                          assertThat(line.get("spanId").asText()).hasSize(16);
                        });
                assertThat(linesOfTrace("query-side", traceId))
                    .as("the query side's log lines of trace %s", traceId)
                    .anySatisfy(
                        line -> {
                          assertThat(line.get("message").asText())
                              .isEqualTo(
                                  "Projected FundsDeposited " + account + "@1 into accounts");
                          assertThat(line.get("correlationId").asText()).isEqualTo(correlationId);
                        });
              });

      // Projected, so the query finds it; the query side answers with the same correlation id.
      HttpRequest.Builder query =
          HttpRequest.newBuilder(URI.create(config().queryUrl() + "/api/v1/accounts/" + account))
              .timeout(Duration.ofSeconds(30));
      traced.forEach(query::header);
      var read = Ledgerline.send(query.GET().build());
      assertThat(read.status()).isEqualTo(200);
      assertThat(read.json().get("balance").asLong()).isEqualTo(25);
      assertThat(read.header("X-Correlation-Id")).isEqualTo(correlationId);
    } finally {
      logLevel(config().commandUrl(), PUBLISHER, null);
      logLevel(config().queryUrl(), PROJECTION, null);
    }
  }

  /** Sets a logger's level at run time through the actuator (admins only); null resets it. */
  private static void logLevel(String service, String logger, String level) {
    var response =
        Ledgerline.post(
            service + "/actuator/loggers/" + logger,
            level == null
                ? "{\"configuredLevel\":null}"
                : "{\"configuredLevel\":\"" + level + "\"}",
            Map.of("Authorization", "Bearer " + Ledgerline.token("admin", "system-test-admin")));
    assertThat(response.status()).as("set %s to %s on %s", logger, level, service).isEqualTo(204);
  }

  /** The JSON log lines of a service (the stack's {@code logs/<service>.log}) in one trace. */
  private static List<JsonNode> linesOfTrace(String service, String traceId) {
    Path log = config().home().resolve("logs").resolve(service + ".log");
    List<JsonNode> lines = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.startsWith("{") && line.contains(traceId)) {
          JsonNode json = Ledgerline.JSON.readTree(line);
          if (traceId.equals(json.path("traceId").asText())) {
            lines.add(json);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
