package io.ledgerline.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Locks the JSON of every event: a change to a stored or published shape fails here, so it is a
 * conscious decision (a new nullable field, or a new revision with an upcaster), never an accident.
 * A missing snapshot is written for review and fails the test once.
 */
class EventContractSnapshotTest {

  private static final Path SNAPSHOTS = Path.of("src/test/resources/contracts");
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Sealed texts (of "salary", "rent", ...) as the command side writes them, under one key. */
  static final String KEY_ID = "5b0d6c2e-8f1a-4c3b-9d7e-1a2b3c4d5e6f";

  static final String SALARY = sealed("aFS3zXo0VCG0vXM7CshKr35dbZrW5HOyhn_UtiaP2oIdzA");
  static final String RENT = sealed("BS-x2kfU17hxlfALTorjPo9NkMKl9dlNYWJ7KeL-VHw");
  static final String INVOICE = sealed("dAtvt8A_JWsZSaT-berWKAGR7BflH22tLNqm1jaBThVsLZIxOW8");
  static final String FRAUD_CHECK = sealed("2nukW1sT7PTsoJiPS6lzZslvlfv7YbqbC3qxmuC7bt9gNYpiRBuL");
  static final String CLEARED = sealed("PoftSe9VMBN2Amy10V2LDxwOeDP9GhRnZ9mOvRVKRlxpqRQ");
  static final String CUSTOMER_REQUEST =
      sealed("oQkpr87k2m18MN5E-4TYxZHoLmCVk6FCw35w06FLeL88FxUiWec7Cuq8hSU");
  static final String NAME = sealed("G1cWIv74gQhOhXbkSBSnTWs3fdqpuUMez7gI2WU9wE-Sg-LmHwQBijw");
  static final String EMAIL =
      sealed("iqENXnMvvYkBg6exX6YzRCEEicYzaW9pzfzNKfruALFBij4BX-EF6-9kqYtU");

  private static String sealed(String box) {
    return new SealedText(KEY_ID, box).text();
  }

  static List<Record> samples() {
    return List.of(
        new AccountOpened("acc-1", "owner-1", "EUR", 500),
        new FundsDeposited("acc-1", 1250, "EUR", 1250, SALARY, "top-1"),
        new FundsWithdrawn("acc-1", 250, "EUR", 1000, RENT),
        new AccountFrozen("acc-1", FRAUD_CHECK, "operator-7"),
        new AccountUnfrozen("acc-1", CLEARED),
        new AccountClosed("acc-1", CUSTOMER_REQUEST),
        new TransferDebited("acc-1", "t-1", 100, "EUR", 900, "acc-2"),
        new TransferDebitRefused("acc-1", "t-1", "insufficient funds"),
        new TransferCredited("acc-2", "t-1", 100, "EUR", 100, "acc-1"),
        new TransferCreditRefused("acc-2", "t-1", 100, "acc-1", "destination account is frozen"),
        new TransferDebitReversed(
            "acc-1", "t-1", 100, "EUR", 1000, "destination account is frozen"),
        new TransferRequested("t-1", "acc-1", "acc-2", 100, "EUR", INVOICE),
        new TransferCompleted("t-1"),
        new TransferFailed("t-1", "destination account is frozen", "DESTINATION_FROZEN"),
        new TopUpRequested("top-1", "acc-1", 1250, "EUR"),
        new TopUpIntentCreated("top-1", "pi_3Qx8sT2eZvKYlo2C0a1b2c3d"),
        new TopUpSucceeded("top-1", "pi_3Qx8sT2eZvKYlo2C0a1b2c3d", "acc-1", 1250, "EUR"),
        new TopUpFailed("top-1", "pi_3Qx8sT2eZvKYlo2C0a1b2c3d", "insufficient_funds"),
        new OwnerProfileRecorded("owner-1", NAME, EMAIL),
        new OwnerPersonalDataErased("owner-1", KEY_ID, "admin-3"));
  }

  @Test
  void everyEventOnTheWireHasASnapshot() {
    assertThat(samples().stream().map(Object::getClass).map(Class::getSimpleName))
        .containsExactlyInAnyOrderElementsOf(
            EventWireFormat.eventTypes().stream().map(Class::getSimpleName).toList());
  }

  @ParameterizedTest
  @MethodSource("samples")
  void theJsonOfEachEventIsLocked(Record sample) throws Exception {
    String json = JSON.writeValueAsString(sample) + "\n";
    Path snapshot = SNAPSHOTS.resolve(sample.getClass().getSimpleName() + ".json");
    if (!Files.exists(snapshot)) {
      Files.createDirectories(SNAPSHOTS);
      Files.writeString(snapshot, json);
      fail("wrote a new snapshot " + snapshot + "; review and commit it");
    }
    assertThat(json).isEqualTo(Files.readString(snapshot));
    assertThat(JSON.readValue(json, sample.getClass())).isEqualTo(sample);
  }

  @Test
  void anAccountFrozenStoredBeforeFrozenByExistedStillLoads() throws Exception {
    AccountFrozen old =
        JSON.readValue("{\"accountId\":\"acc-1\",\"reason\":\"old\"}", AccountFrozen.class);
    assertThat(old).isEqualTo(new AccountFrozen("acc-1", "old", null));
  }

  @Test
  void everyPersonalFieldOfTheSamplesIsSealed() throws Exception {
    for (Record sample : samples()) {
      for (String field : PersonalFields.of(sample.getClass())) {
        Object value = sample.getClass().getMethod(field).invoke(sample);
        assertThat(SealedText.isSealed((String) value))
            .as("%s.%s", sample.getClass().getSimpleName(), field)
            .isTrue();
      }
    }
  }

  @Test
  void aDepositStoredBeforeTopUpIdExistedStillLoadsAsNoTopUp() throws Exception {
    FundsDeposited old =
        JSON.readValue(
            "{\"accountId\":\"acc-1\",\"amountMinor\":5,\"currency\":\"EUR\","
                + "\"balanceAfterMinor\":5,\"reference\":null}",
            FundsDeposited.class);

    assertThat(old).isEqualTo(new FundsDeposited("acc-1", 5, "EUR", 5, null));
    assertThat(old.topUpId()).isNull();
  }

  @Test
  void aRevisionOneEventWithItsReferenceInClearStillLoadsAsItWasStored() throws Exception {
    FundsDeposited old =
        JSON.readValue(
            "{\"accountId\":\"acc-1\",\"amountMinor\":5,\"currency\":\"EUR\","
                + "\"balanceAfterMinor\":5,\"reference\":\"salary\"}",
            FundsDeposited.class);

    assertThat(old.reference()).isEqualTo("salary");
    assertThat(SealedText.isSealed(old.reference())).isFalse();
  }

  @Test
  void failureCodesAreDerivedFromTheReasonsTheLedgerGives() {
    assertThat(TransferFailed.failureCodeFor("insufficient funds")).isEqualTo("INSUFFICIENT_FUNDS");
    assertThat(TransferFailed.failureCodeFor("source account is frozen"))
        .isEqualTo("SOURCE_FROZEN");
    assertThat(TransferFailed.failureCodeFor("destination account is closed"))
        .isEqualTo("DESTINATION_CLOSED");
    assertThat(TransferFailed.failureCodeFor("destination account does not exist"))
        .isEqualTo("DESTINATION_MISSING");
    assertThat(TransferFailed.failureCodeFor("destination account is in USD, not EUR"))
        .isEqualTo("CURRENCY_MISMATCH");
    assertThat(TransferFailed.failureCodeFor(null)).isEqualTo("OTHER");
  }
}
