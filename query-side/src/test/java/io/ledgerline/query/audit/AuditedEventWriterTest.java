package io.ledgerline.query.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerline.eventstore.StoredEvent;
import io.ledgerline.eventstore.personaldata.OwnerKey;
import io.ledgerline.eventstore.personaldata.PersonalData;
import io.ledgerline.eventstore.personaldata.PersonalDataCipher;
import io.ledgerline.query.InMemoryOwnerKeys;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditedEventWriterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] HASH = {0x0a, (byte) 0xff, 0x10};

  private final InMemoryOwnerKeys keys = new InMemoryOwnerKeys();
  private final AuditedEventWriter writer = new AuditedEventWriter(new PersonalData(keys));

  private static StoredEvent stored(String type, String payload, String metadata) {
    return new StoredEvent(
        41,
        "e-1",
        "Account",
        "a-1",
        3,
        "2026-01-15T09:30:00Z",
        "io.ledgerline.events." + type,
        null,
        payload.getBytes(StandardCharsets.UTF_8),
        metadata == null ? null : metadata.getBytes(StandardCharsets.UTF_8),
        HASH);
  }

  private String written(StoredEvent... events) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator lines = JSON.getFactory().createGenerator(out)) {
      lines.setRootValueSeparator(null);
      for (StoredEvent event : events) {
        writer.write(lines, event);
        lines.writeRaw('\n');
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theEnvelopePayloadMetadataAndHashAreWrittenAsStoredAndTheReferenceOpenedBeside()
      throws Exception {
    String payload =
        "{\"accountId\":\"a-1\",\"amountMinor\":1250,\"currency\":\"EUR\","
            + "\"balanceAfterMinor\":1250,\"reference\":\"rent\"}";
    String metadata = "{\"subject\":\"alice\",\"trace\":{\"ids\":[1,2.5,null,true]}}";

    JsonNode line = JSON.readTree(written(stored("FundsDeposited", payload, metadata)));

    assertThat(line.get("globalPosition").asLong()).isEqualTo(41);
    assertThat(line.get("aggregateId").asText()).isEqualTo("a-1");
    assertThat(line.get("sequence").asLong()).isEqualTo(3);
    assertThat(line.get("type").asText()).isEqualTo("FundsDeposited");
    assertThat(line.get("timestamp").asText()).isEqualTo("2026-01-15T09:30:00Z");
    assertThat(line.get("payload")).isEqualTo(JSON.readTree(payload));
    assertThat(line.get("metadata")).isEqualTo(JSON.readTree(metadata));
    assertThat(line.get("hash").asText()).isEqualTo("0aff10");
    assertThat(line.get("personalData").get("reference").asText()).isEqualTo("rent");
    assertThat(line.get("personalData").get("referenceErased").asBoolean()).isFalse();
  }

  @Test
  void eachEventIsOneLineAndAMissingMetadataIsAnEmptyObject() throws Exception {
    String payload = "{\"accountId\":\"a-1\",\"ownerId\":\"o-1\",\"currency\":\"EUR\"}";

    String out =
        written(stored("AccountOpened", payload, null), stored("AccountOpened", payload, "{}"));

    assertThat(out).endsWith("\n");
    String[] lines = out.split("\n");
    assertThat(lines).hasSize(2);
    for (String line : lines) {
      assertThat(line).startsWith("{");
      JsonNode event = JSON.readTree(line);
      assertThat(event.get("metadata")).isEqualTo(JSON.createObjectNode());
      assertThat(event.has("personalData")).isFalse();
    }
  }

  @Test
  void aSealedFieldIsOpenedOrShownErasedAndAnOwnersNameAndEmailNeverAppear() throws Exception {
    byte[] key = PersonalDataCipher.newKey();
    keys.put(new OwnerKey("o-1", "k-1", key, null));
    keys.put(new OwnerKey("o-2", "k-2", null, Instant.parse("2026-02-01T00:00:00Z")));
    String reason = PersonalDataCipher.seal("k-1", key, "o-1", "reason", "asked by owner").text();
    String name = PersonalDataCipher.seal("k-1", key, "o-1", "name", "Alice Example").text();
    String email = "pd:v1:k-2:" + "A".repeat(40);

    JsonNode frozen =
        JSON.readTree(
            written(
                stored(
                    "AccountFrozen",
                    "{\"accountId\":\"a-1\",\"reason\":\""
                        + reason
                        + "\",\"nested\":{\"reason\":\"x\"}}",
                    null)));
    JsonNode profile =
        JSON.readTree(
            written(
                stored(
                    "OwnerProfileRecorded",
                    "{\"ownerId\":\"o-1\",\"name\":\"" + name + "\",\"email\":\"" + email + "\"}",
                    null)));

    assertThat(frozen.get("personalData").get("reason").asText()).isEqualTo("asked by owner");
    assertThat(frozen.get("payload").get("reason").asText()).isEqualTo(reason);
    assertThat(profile.get("personalData").has("name")).isFalse();
    assertThat(profile.get("personalData").has("email")).isFalse();
    assertThat(profile.get("personalData").get("nameErased").asBoolean()).isFalse();
    assertThat(profile.get("personalData").get("emailErased").asBoolean()).isTrue();
    assertThat(profile.toString()).doesNotContain("Alice Example");
  }

  @Test
  void aPersonalFieldThatIsNotTextCountsAsAbsent() throws Exception {
    JsonNode line =
        JSON.readTree(
            written(
                stored(
                    "FundsDeposited",
                    "{\"accountId\":\"a-1\",\"reference\":{\"text\":\"rent\"},\"amountMinor\":1}",
                    null)));

    assertThat(line.get("personalData").get("reference").isNull()).isTrue();
    assertThat(line.get("payload").get("reference").get("text").asText()).isEqualTo("rent");
    assertThat(line.get("payload").get("amountMinor").asLong()).isEqualTo(1);
  }
}
