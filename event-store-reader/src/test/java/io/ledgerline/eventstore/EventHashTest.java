package io.ledgerline.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The hashes against vectors computed outside Java (Python's hashlib and hmac, following migration
 * V4's SQL), so a change to the formula cannot pass by changing both sides of an assertion. The
 * system test {@code EventHashIT} checks the same formula against the database itself.
 */
class EventHashTest {

  private static final HexFormat HEX = HexFormat.of();

  // An account's first event: non-ASCII id, a type, no revision, metadata.
  private static final StoredEvent OPENED =
      new StoredEvent(
          41,
          "e-1",
          "Account",
          "acc-é",
          0,
          "2026-01-31T10:15:30.123456Z",
          "io.ledgerline.events.AccountOpened",
          null,
          utf8(
              "{\"accountId\":\"acc-é\",\"ownerId\":\"o\",\"currency\":\"EUR\","
                  + "\"overdraftLimitMinor\":0}"),
          utf8("{\"subject\":\"alice\"}"),
          null);
  private static final String OPENED_HASH =
      "e7914631ab9e52c161c2ba551e4e601239aa80c1a089124d8a99205bd9814aa5";

  // The next one: no type, a revision, no metadata, chained to the first.
  private static final StoredEvent FAILED =
      new StoredEvent(
          42,
          "e-2",
          null,
          "acc-é",
          1,
          "2026-01-31T10:15:31Z",
          "io.ledgerline.events.TransferFailed",
          "2",
          utf8("{\"transferId\":\"t-1\",\"reason\":\"source account is frozen\"}"),
          null,
          null);
  private static final String FAILED_HASH =
      "f138a68987366471f3c60a52c2ba72b65dc33160a7c0453ae27cdcd4f9267c58";

  @Test
  void anAggregatesFirstEventHashesItsIdentityPayloadAndMetadata() {
    assertThat(HEX.formatHex(EventHash.of(null, OPENED))).isEqualTo(OPENED_HASH);
  }

  @Test
  void eachLaterEventChainsToThePreviousHash() {
    byte[] first = EventHash.of(null, OPENED);

    assertThat(HEX.formatHex(EventHash.of(first, FAILED))).isEqualTo(FAILED_HASH);
    assertThat(EventHash.of(null, FAILED)).isNotEqualTo(EventHash.of(first, FAILED));
  }

  @Test
  void noPreviousHashIsTheSameAsNoBytesAndNoMetadataTheSameAsEmptyMetadata() {
    assertThat(EventHash.of(new byte[0], OPENED)).isEqualTo(EventHash.of(null, OPENED));
    StoredEvent withEmptyMetadata =
        new StoredEvent(
            42,
            "e-2",
            null,
            "acc-é",
            1,
            "2026-01-31T10:15:31Z",
            "io.ledgerline.events.TransferFailed",
            "2",
            FAILED.payload(),
            new byte[0],
            null);
    assertThat(EventHash.of(null, withEmptyMetadata)).isEqualTo(EventHash.of(null, FAILED));
  }

  @Test
  void everyStoredFieldButThePositionAndEventIdIsCovered() {
    byte[] hash = EventHash.of(null, OPENED);
    assertThat(EventHash.of(null, with(OPENED, "acc-e", 0, "Account", null, OPENED.timestamp())))
        .isNotEqualTo(hash);
    assertThat(EventHash.of(null, with(OPENED, "acc-é", 1, "Account", null, OPENED.timestamp())))
        .isNotEqualTo(hash);
    assertThat(EventHash.of(null, with(OPENED, "acc-é", 0, "Acc", null, OPENED.timestamp())))
        .isNotEqualTo(hash);
    assertThat(EventHash.of(null, with(OPENED, "acc-é", 0, "Account", "1", OPENED.timestamp())))
        .isNotEqualTo(hash);
    assertThat(
            EventHash.of(null, with(OPENED, "acc-é", 0, "Account", null, "2020-01-01T00:00:00Z")))
        .isNotEqualTo(hash);
  }

  @Test
  void theRunningHashStartsFromNoBytesAndExtendsBySha256OfBoth() throws Exception {
    byte[] first = EventHash.of(null, OPENED);
    byte[] second = EventHash.of(first, FAILED);

    byte[] running = EventHash.running(EventHash.runningStart(), first);
    assertThat(HEX.formatHex(running))
        .isEqualTo("1420fd26cd951915e16f20c4b7bb5791fe11ef40a9e43867e242cc061a7ca57f");
    assertThat(running).isEqualTo(MessageDigest.getInstance("SHA-256").digest(first));
    running = EventHash.running(running, second);
    assertThat(HEX.formatHex(running))
        .isEqualTo("17be16de8ca9e583feea7fdcbadfe64a52ca693bac252ead6e07772735ce3711");
  }

  @Test
  void aCheckpointIsSignedOverPositionCountAndRunningHash() {
    byte[] running =
        HEX.parseHex("17be16de8ca9e583feea7fdcbadfe64a52ca693bac252ead6e07772735ce3711");
    byte[] key = utf8("local-development-checkpoint-key");

    assertThat(HEX.formatHex(EventHash.signature(key, 2, 2, running)))
        .isEqualTo("5f95b70ba2c7d1f40fd78184a902e2f8e94cc1df210117a25eaad939ad311faa");
    assertThat(EventHash.signature(key, 2, 3, running))
        .isNotEqualTo(EventHash.signature(key, 2, 2, running));
    assertThat(EventHash.signature(utf8("another key"), 2, 2, running))
        .isNotEqualTo(EventHash.signature(key, 2, 2, running));
  }

  private static StoredEvent with(
      StoredEvent event,
      String aggregateId,
      long sequence,
      String aggregateType,
      String revision,
      String timestamp) {
    return new StoredEvent(
        event.globalPosition(),
        event.eventId(),
        aggregateType,
        aggregateId,
        sequence,
        timestamp,
        event.payloadType(),
        revision,
        event.payload(),
        event.metadata(),
        event.hash());
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
