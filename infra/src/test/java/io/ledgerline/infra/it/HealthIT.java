package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Readiness reflects the dependencies: each service reports UP on the running stack, and DOWN when
 * PostgreSQL, Kafka or Elasticsearch is out of its reach. The outages are made for an extra
 * instance only (through a proxy the test cuts, or an address where nothing listens), so the shared
 * stack keeps running.
 */
@SystemTest
class HealthIT {

  /** A loopback port where nothing listens: Kafka is unreachable there. */
  private static final String NO_KAFKA = "127.0.0.1:1";

  @Test
  void bothServicesAreReadyOnTheRunningStack() {
    JsonNode command = readiness(config().commandUrl(), 200);
    assertThat(component(command, "db")).isEqualTo("UP");
    assertThat(component(command, "kafka")).isEqualTo("UP");
    JsonNode query = readiness(config().queryUrl(), 200);
    assertThat(component(query, "elasticsearch")).isEqualTo("UP");
    assertThat(component(query, "kafka")).isEqualTo("UP");
  }

  @Test
  void commandSideIsNotReadyWithoutKafkaOrPostgres() throws Exception {
    try (TcpProxy postgres = new TcpProxy(config().postgresPort());
        ServiceProcess instance =
            ServiceProcess.start(
                "command-side",
                28180,
                Map.of(
                    "SPRING_DATASOURCE_URL",
                    "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/ledgerline",
                    "SPRING_DATASOURCE_USERNAME",
                    config().postgresUser(),
                    "SPRING_DATASOURCE_PASSWORD",
                    config().postgresPassword(),
                    "SPRING_KAFKA_BOOTSTRAP_SERVERS",
                    NO_KAFKA))) {
      JsonNode health = awaitReadiness(instance, 503, h -> "UP".equals(component(h, "db")));
      assertThat(component(health, "kafka")).isEqualTo("DOWN");

      String account = Ledgerline.openAccount("EUR", "outage");
      postgres.close();

      awaitReadiness(instance, 503, h -> "DOWN".equals(component(h, "db")));
      // Clients and load balancers retry a 503 with Retry-After; a 500 would say "broken".
      var deposit =
          Ledgerline.post(
              instance.url() + "/api/v1/accounts/" + account + "/deposits",
              "{\"amount\":5}",
              Map.of("Idempotency-Key", "outage-" + account));
      assertThat(deposit.status()).as(deposit.body()).isEqualTo(503);
      assertThat(deposit.header("Retry-After")).isNotBlank();
      assertThat(deposit.json().get("type").asText())
          .isEqualTo("urn:ledgerline:problem:unavailable");
      assertThat(CommandApiIT.eventCount(account, "FundsDeposited")).isZero();
    }
  }

  @Test
  void querySideIsNotReadyWithoutKafkaOrElasticsearch() throws Exception {
    try (TcpProxy elasticsearch = new TcpProxy(config().elasticsearchPort());
        ServiceProcess instance =
            ServiceProcess.start(
                "query-side",
                28181,
                Map.of(
                    "SPRING_ELASTICSEARCH_URIS",
                    "http://127.0.0.1:" + elasticsearch.port(),
                    "SPRING_KAFKA_BOOTSTRAP_SERVERS",
                    NO_KAFKA))) {
      JsonNode health =
          awaitReadiness(instance, 503, h -> "UP".equals(component(h, "elasticsearch")));
      assertThat(component(health, "kafka")).isEqualTo("DOWN");

      elasticsearch.close();

      awaitReadiness(instance, 503, h -> "DOWN".equals(component(h, "elasticsearch")));
    }
  }

  private static JsonNode readiness(String baseUrl, int expectedStatus) {
    var response = get(baseUrl + "/actuator/health/readiness");
    assertThat(response.status()).as(response.body()).isEqualTo(expectedStatus);
    return response.json();
  }

  private static JsonNode awaitReadiness(
      ServiceProcess instance, int status, java.util.function.Predicate<JsonNode> condition) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(instance.isAlive()).as("instance alive, see " + instance.log()).isTrue();
              var response = get(instance.url() + "/actuator/health/readiness");
              assertThat(response.status()).isEqualTo(status);
              assertThat(condition.test(response.json())).as(response.body()).isTrue();
              last[0] = response.json();
            });
    return last[0];
  }

  private static String component(JsonNode health, String name) {
    JsonNode component = health.path("components").path(name).path("status");
    return component.isMissingNode() ? null : component.asText();
  }
}
