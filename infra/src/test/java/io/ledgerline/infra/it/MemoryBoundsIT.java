package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Guarantee: listings hold at most a page in memory. Fault: 100,000 parked events (about 150 MB
 * with their headers, half the query side's heap) pile up after an outage. Listing them pages
 * through them without the query side running out of memory or restarting. Runs after every test
 * that counts dead letters.
 */
@SystemTest
@Order(95)
class MemoryBoundsIT {

  private static final int PARKED = 100_000;

  @Test
  void aHundredThousandDeadLettersAreListedPageByPageWithinTheHeap() throws Exception {
    int restartsBefore = LocalStackExtension.RunningStack.stack().restartCount("query-side");
    park(PARKED);

    String cursor = null;
    int listed = 0;
    for (int page = 0; page < 3; page++) {
      var response =
          get(
              config().queryUrl()
                  + "/api/v1/admin/dead-letters?size=500"
                  + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      listed += response.json().get("items").size();
      assertThat(response.json().get("nextCursor").isNull()).isFalse();
      cursor = response.json().get("nextCursor").asText();
    }

    assertThat(listed).isEqualTo(1_500);
    var tooLarge = get(config().queryUrl() + "/api/v1/admin/dead-letters?size=100000");
    assertThat(tooLarge.status()).isEqualTo(400);
    assertThat(get(config().queryUrl() + "/actuator/health/readiness").status()).isEqualTo(200);
    assertThat(LocalStackExtension.RunningStack.stack().restartCount("query-side"))
        .as("query-side restarts")
        .isEqualTo(restartsBefore);
  }

  /** Parks {@code count} events the way the projections' recoverer does, with its headers. */
  private static void park(int count) {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config().kafkaBootstrap());
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    properties.put(
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    byte[] payload =
        ("{\"accountId\":\"memory\",\"padding\":\"" + "x".repeat(1_000) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] reason = ("projection failed: " + "y".repeat(400)).getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties)) {
      for (int i = 0; i < count; i++) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("kafka_dlt-exception-message", reason);
        headers.add(
            "kafka_dlt-original-consumer-group",
            "ledgerline-projection-accounts".getBytes(StandardCharsets.UTF_8));
        headers.add("kafka_dlt-original-partition", ByteBuffer.allocate(4).putInt(0).array());
        headers.add("kafka_dlt-original-offset", ByteBuffer.allocate(8).putLong(i).array());
        producer.send(
            new ProducerRecord<>(
                "ledgerline.events.v1.dlt", null, "memory-" + i, payload, headers));
      }
      producer.flush();
    }
  }
}
