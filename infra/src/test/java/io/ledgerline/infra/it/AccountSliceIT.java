package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static io.ledgerline.infra.it.Ledgerline.queryAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The first slice end to end: {@code POST /accounts} → event store → Kafka → Elasticsearch → {@code
 * GET /accounts/{id}}, on the real services.
 */
@SystemTest
class AccountSliceIT {

  private static final String TOPIC = "ledgerline.events.v1";

  @Test
  void anOpenedAccountIsStoredPublishedAndProjected() throws Exception {
    var opened =
        Ledgerline.post(
            config().commandUrl() + "/api/v1/accounts",
            "{\"currency\":\"EUR\",\"ownerId\":\"alice\"}",
            Map.of("X-Correlation-Id", "slice-test-1"));

    assertThat(opened.status()).isEqualTo(201);
    assertThat(opened.header("ETag")).isEqualTo("\"0\"");
    assertThat(opened.header("X-Correlation-Id")).isEqualTo("slice-test-1");
    String accountId = opened.json().get("accountId").asText();
    assertThat(opened.header("Location")).isEqualTo("/api/v1/accounts/" + accountId);
    assertThat(opened.json().get("currency").asText()).isEqualTo("EUR");
    assertThat(opened.json().get("version").asLong()).isZero();

    // The event store holds the event, with its metadata, in the snake_case schema.
    try (Connection db = Ledgerline.database();
        PreparedStatement query =
            db.prepareStatement(
                "select sequence_number, payload_type, payload, meta_data from domain_event_entry"
                    + " where aggregate_identifier = ?")) {
      query.setString(1, accountId);
      try (ResultSet row = query.executeQuery()) {
        assertThat(row.next()).isTrue();
        assertThat(row.getLong("sequence_number")).isZero();
        assertThat(row.getString("payload_type")).isEqualTo("io.ledgerline.events.AccountOpened");
        JsonNode payload = Ledgerline.JSON.readTree(row.getBytes("payload"));
        assertThat(payload.get("currency").asText()).isEqualTo("EUR");
        assertThat(payload.get("ownerId").asText()).isEqualTo("alice");
        JsonNode metadata = Ledgerline.JSON.readTree(row.getBytes("meta_data"));
        assertThat(metadata.get("correlationId").asText()).isEqualTo("slice-test-1");
        assertThat(metadata.has("causationId")).isTrue();
        assertThat(metadata.has("subject")).isTrue();
        assertThat(row.next()).isFalse();
      }
    }

    // Kafka carries it keyed by the account id, so an account's events stay in order.
    List<ConsumerRecord<String, byte[]>> published = publishedEventsOf(accountId, 1);
    assertThat(published.get(0).key()).isEqualTo(accountId);
    assertThat(header(published.get(0), "ll-event-type")).isEqualTo("AccountOpened");
    assertThat(header(published.get(0), "ll-sequence")).isEqualTo("0");

    // The query side serves it.
    JsonNode account = awaitProjected(accountId, 0);
    assertThat(account.get("ownerId").asText()).isEqualTo("alice");
    assertThat(account.get("currency").asText()).isEqualTo("EUR");
    assertThat(account.get("balance").asLong()).isZero();
    assertThat(account.get("status").asText()).isEqualTo("OPEN");
  }

  @Test
  void redeliveredEventsDoNotChangeTheReadModelTwice() throws Exception {
    String accountId = openAccount("EUR", "bob");
    assertThat(command(accountId, "deposits", "{\"amount\":100}").status()).isEqualTo(200);
    awaitProjected(accountId, 1);

    // Kafka redelivers both events (same key, headers and payload), as after a rebalance.
    List<ConsumerRecord<String, byte[]>> published = publishedEventsOf(accountId, 2);
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (ConsumerRecord<String, byte[]> record : published) {
        producer
            .send(new ProducerRecord<>(TOPIC, null, record.key(), record.value(), record.headers()))
            .get();
      }
    }
    // A later event on the same partition proves the duplicates were consumed before it.
    assertThat(command(accountId, "deposits", "{\"amount\":50}").status()).isEqualTo(200);

    JsonNode account = awaitProjected(accountId, 2);
    assertThat(account.get("balance").asLong()).isEqualTo(150);
    assertThat(account.get("status").asText()).isEqualTo("OPEN");
  }

  @Test
  void theServicesCreateTheirTopicAndIndexBehindAnAlias() throws Exception {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config().kafkaBootstrap());
    try (AdminClient admin = AdminClient.create(properties)) {
      var topic = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
      assertThat(topic.partitions()).hasSizeGreaterThan(1);
    }
    var alias = Ledgerline.get(config().elasticsearchUrl() + "/_alias/accounts");
    assertThat(alias.status()).isEqualTo(200);
    // One versioned index serves the alias (accounts-v1, or a rebuilt version of it).
    List<String> indexes = new ArrayList<>();
    alias.json().fieldNames().forEachRemaining(indexes::add);
    assertThat(indexes).singleElement().asString().startsWith("accounts-");
    var mapping = Ledgerline.get(config().elasticsearchUrl() + "/accounts/_mapping");
    assertThat(mapping.json().get(indexes.get(0)).get("mappings").get("dynamic").asText())
        .isEqualTo("strict");
  }

  @Test
  void anUnknownAccountIsANotFoundProblem() {
    var response = queryAccount("no-such-account");
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().get("type").asText()).isEqualTo("urn:ledgerline:problem:not-found");
  }

  static JsonNode awaitProjected(String accountId, long version) {
    JsonNode[] account = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              var response = queryAccount(accountId);
              assertThat(response.status()).isEqualTo(200);
              assertThat(response.json().get("version").asLong()).isEqualTo(version);
              account[0] = response.json();
            });
    return account[0];
  }

  private static List<ConsumerRecord<String, byte[]>> publishedEventsOf(
      String accountId, int count) {
    List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = Ledgerline.kafkaConsumer()) {
      consumer.subscribe(List.of(TOPIC));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                  if (accountId.equals(record.key())) {
                    found.add(record);
                  }
                }
                return found.size() >= count;
              });
    }
    return found;
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
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
