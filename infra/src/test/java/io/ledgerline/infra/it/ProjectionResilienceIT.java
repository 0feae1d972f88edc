package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static io.ledgerline.infra.it.Ledgerline.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Projections under stress: a second instance sharing the partitions, and poison events. */
@SystemTest
@Order(20)
class ProjectionResilienceIT {

  @Test
  void twoQuerySideInstancesShareThePartitionsWithoutLosingOrDoublingAnything() throws Exception {
    try (ServiceProcess second =
        ServiceProcess.start(
            "query-side",
            28183,
            Map.of(
                "SPRING_DATASOURCE_URL", config().jdbcUrl(),
                "SPRING_DATASOURCE_USERNAME", config().postgresUser(),
                "SPRING_DATASOURCE_PASSWORD", config().postgresPassword(),
                "SPRING_KAFKA_BOOTSTRAP_SERVERS", config().kafkaBootstrap(),
                "SPRING_ELASTICSEARCH_URIS", config().elasticsearchUrl()))) {
      await()
          .atMost(Duration.ofMinutes(2))
          .ignoreExceptions()
          .until(() -> get(second.url() + "/actuator/health/readiness").status() == 200);
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> groupMembers("ledgerline-projection-accounts") == 2);

      List<String> accounts = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        accounts.add(openAccount("EUR", "scale-out"));
      }
      Map<String, Long> expected = new HashMap<>();
      for (int round = 1; round <= 8; round++) {
        for (String account : accounts) {
          var response = command(account, "deposits", "{\"amount\":" + round + "}");
          expected.put(account, response.json().get("balance").asLong());
        }
      }
      for (String account : accounts) {
        JsonNode projected = AccountSliceIT.awaitProjected(account, 8);
        assertThat(projected.get("balance").asLong()).isEqualTo(expected.get(account));
        // Both instances serve the same read model.
        var viaSecond = get(second.url() + "/api/v1/accounts/" + account);
        assertThat(viaSecond.json().get("balance").asLong()).isEqualTo(expected.get(account));
      }
    }
  }

  @Test
  void aPoisonEventIsParkedWhileTheProjectionCarriesOnAndCanBeRetried() throws Exception {
    String key = "poison-" + System.nanoTime();
    RecordHeaders headers = new RecordHeaders();
    headers.add("ll-event-id", key.getBytes(StandardCharsets.UTF_8));
    headers.add("ll-event-type", "NoSuchEvent".getBytes(StandardCharsets.UTF_8));
    headers.add("ll-sequence", "0".getBytes(StandardCharsets.UTF_8));
    headers.add("ll-global-position", "0".getBytes(StandardCharsets.UTF_8));
    headers.add("ll-timestamp", Instant.now().toString().getBytes(StandardCharsets.UTF_8));
    try (KafkaProducer<String, byte[]> producer = producer()) {
      producer
          .send(new ProducerRecord<>("ledgerline.events.v1", null, key, "{}".getBytes(), headers))
          .get();
    }

    // The projection goes on with everything else.
    String account = openAccount("EUR", "after-poison");
    command(account, "deposits", "{\"amount\":5}");
    AccountSliceIT.awaitProjected(account, 1);

    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () -> {
              List<JsonNode> parked = parked(key);
              assertThat(parked)
                  .extracting(p -> p.get("projection").asText())
                  .contains("accounts", "transfers", "transactions");
              assertThat(parked.get(0).get("reason").asText()).contains("NoSuchEvent");
            });

    var retried = post(config().queryUrl() + "/api/v1/admin/dead-letters/retry", null, Map.of());
    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.json().get("count").asInt()).isGreaterThanOrEqualTo(3);
    // Still poison: retried, it is parked again rather than lost.
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(() -> assertThat(parked(key)).hasSizeGreaterThanOrEqualTo(3));
    // The operators' gauge counts them from the dead-letter topic's offsets (refreshed every 15 s).
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(pendingDeadLettersGauge()).isGreaterThanOrEqualTo(3));
  }

  private static double pendingDeadLettersGauge() {
    String scrape = get(config().queryUrl() + "/actuator/prometheus").body();
    return scrape
        .lines()
        .filter(line -> line.startsWith("ledgerline_projection_dead_letters_pending{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(Double.NaN);
  }

  private static List<JsonNode> parked(String key) {
    List<JsonNode> parked = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          get(config().queryUrl()
                  + "/api/v1/admin/dead-letters?size=500"
                  + (cursor == null ? "" : "&cursor=" + cursor))
              .json();
      for (JsonNode letter : page.get("items")) {
        if (key.equals(letter.get("aggregateId").asText())) {
          parked.add(letter);
        }
      }
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
    } while (cursor != null);
    return parked;
  }

  private static int groupMembers(String group) throws Exception {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config().kafkaBootstrap());
    try (AdminClient admin = AdminClient.create(properties)) {
      return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().size();
    }
  }

  private static KafkaProducer<String, byte[]> producer() {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config().kafkaBootstrap());
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    properties.put(
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(properties);
  }
}
