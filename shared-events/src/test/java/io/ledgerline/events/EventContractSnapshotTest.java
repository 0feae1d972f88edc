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

  static List<Record> samples() {
    return List.of(
        new AccountOpened("acc-1", "owner-1", "EUR", 500),
        new FundsDeposited("acc-1", 1250, "EUR", 1250, "salary"),
        new FundsWithdrawn("acc-1", 250, "EUR", 1000, "rent"),
        new AccountFrozen("acc-1", "fraud check", "operator-7"),
        new AccountUnfrozen("acc-1", "cleared"),
        new AccountClosed("acc-1", "customer request"),
        new TransferDebited("acc-1", "t-1", 100, "EUR", 900, "acc-2"),
        new TransferDebitRefused("acc-1", "t-1", "insufficient funds"),
        new TransferCredited("acc-2", "t-1", 100, "EUR", 100, "acc-1"),
        new TransferCreditRefused("acc-2", "t-1", 100, "acc-1", "destination account is frozen"),
        new TransferDebitReversed(
            "acc-1", "t-1", 100, "EUR", 1000, "destination account is frozen"),
        new TransferRequested("t-1", "acc-1", "acc-2", 100, "EUR", "invoice 42"),
        new TransferCompleted("t-1"),
        new TransferFailed("t-1", "destination account is frozen", "DESTINATION_FROZEN"));
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
