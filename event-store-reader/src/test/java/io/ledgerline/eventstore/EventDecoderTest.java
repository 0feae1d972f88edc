package io.ledgerline.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerline.events.AccountClosed;
import io.ledgerline.events.AccountFrozen;
import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.AccountUnfrozen;
import io.ledgerline.events.EventRevisions;
import io.ledgerline.events.EventWireFormat;
import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.FundsWithdrawn;
import io.ledgerline.events.OwnerPersonalDataErased;
import io.ledgerline.events.OwnerProfileRecorded;
import io.ledgerline.events.TopUpFailed;
import io.ledgerline.events.TopUpIntentCreated;
import io.ledgerline.events.TopUpRequested;
import io.ledgerline.events.TopUpSucceeded;
import io.ledgerline.events.TransferCompleted;
import io.ledgerline.events.TransferCreditRefused;
import io.ledgerline.events.TransferCredited;
import io.ledgerline.events.TransferDebitRefused;
import io.ledgerline.events.TransferDebitReversed;
import io.ledgerline.events.TransferDebited;
import io.ledgerline.events.TransferFailed;
import io.ledgerline.events.TransferRequested;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventDecoderTest {

  // What the command side's Axon JacksonSerializer stores: the record's components as JSON.
  private static final ObjectMapper STORED = new ObjectMapper();

  private static final String SEALED = "pd:v1:k-1:aFS3zXo0VCG0vXM7CshKr35dbZrW5HOyhn_UtiaP2oIdzA";

  static List<Record> samples() {
    return List.of(
        new AccountOpened("acc-1", "owner-1", "EUR", 500),
        new FundsDeposited("acc-1", 1250, "EUR", 1250, SEALED),
        new FundsWithdrawn("acc-1", 250, "EUR", 1000, null),
        new AccountFrozen("acc-1", "fraud check", "operator-7"),
        new AccountUnfrozen("acc-1", "cleared"),
        new AccountClosed("acc-1", "customer request"),
        new TransferDebited("acc-1", "t-1", 100, "EUR", 900, "acc-2"),
        new TransferDebitRefused("acc-1", "t-1", "insufficient funds"),
        new TransferCredited("acc-2", "t-1", 100, "EUR", 100, "acc-1"),
        new TransferCreditRefused("acc-2", "t-1", 100, "acc-1", "destination account is frozen"),
        new TransferDebitReversed("acc-1", "t-1", 100, "EUR", 1000, "frozen"),
        new TransferRequested("t-1", "acc-1", "acc-2", 100, "EUR", SEALED),
        new TransferCompleted("t-1"),
        new TransferFailed("t-1", "destination account is frozen", "DESTINATION_FROZEN"),
        new TopUpRequested("u-1", "acc-1", 5000, "EUR"),
        new TopUpIntentCreated("u-1", "pi_1"),
        new TopUpSucceeded("u-1", "pi_1", "acc-1", 5000, "EUR"),
        new TopUpFailed("u-1", null, "intent_refused"),
        new OwnerProfileRecorded("owner-1", SEALED, SEALED),
        new OwnerPersonalDataErased("owner-1", "k-1", "admin-3"));
  }

  @Test
  void readsARevisionOneReferenceStoredInClearAsItWasStored() {
    Record decoded =
        EventDecoder.decode(
            FundsDeposited.class.getName(),
            null,
            bytes(
                "{\"accountId\":\"acc-1\",\"amountMinor\":5,\"currency\":\"EUR\","
                    + "\"balanceAfterMinor\":5,\"reference\":\"salary\"}"));

    assertThat(decoded).isEqualTo(new FundsDeposited("acc-1", 5, "EUR", 5, "salary"));
  }

  @Test
  void theSamplesCoverEveryEventType() {
    assertThat(samples().stream().map(Object::getClass).toList())
        .containsExactlyInAnyOrderElementsOf(EventWireFormat.eventTypes());
  }

  @ParameterizedTest
  @MethodSource("samples")
  void decodesEveryEventAsStoredAtItsCurrentRevision(Record sample) throws Exception {
    Record decoded =
        EventDecoder.decode(
            sample.getClass().getName(),
            EventRevisions.revisionOf(sample.getClass()),
            STORED.writeValueAsBytes(sample));

    assertThat(decoded).isEqualTo(sample);
  }

  @Test
  void upcastsARevisionOneTransferFailedWithTheCodeItsReasonStandsFor() {
    Record decoded =
        EventDecoder.decode(
            TransferFailed.class.getName(),
            null,
            bytes("{\"transferId\":\"t-1\",\"reason\":\"destination account is frozen\"}"));

    assertThat(decoded)
        .isEqualTo(
            new TransferFailed("t-1", "destination account is frozen", "DESTINATION_FROZEN"));
  }

  @Test
  void leavesTheFailureCodeOfARevisionTwoTransferFailedAsStored() {
    Record decoded =
        EventDecoder.decode(
            TransferFailed.class.getName(),
            "2",
            bytes(
                "{\"transferId\":\"t-1\",\"reason\":\"insufficient funds\",\"failureCode\":\"OTHER\"}"));

    assertThat(decoded).isEqualTo(new TransferFailed("t-1", "insufficient funds", "OTHER"));
  }

  @Test
  void decodesAnAccountFrozenStoredBeforeFrozenByExisted() {
    Record decoded =
        EventDecoder.decode(
            AccountFrozen.class.getName(),
            null,
            bytes("{\"accountId\":\"acc-1\",\"reason\":\"old\"}"));

    assertThat(decoded).isEqualTo(new AccountFrozen("acc-1", "old", null));
  }

  @Test
  void ignoresFieldsAddedLater() {
    Record decoded =
        EventDecoder.decode(
            TransferCompleted.class.getName(),
            null,
            bytes("{\"transferId\":\"t-1\",\"completedBy\":\"a later field\"}"));

    assertThat(decoded).isEqualTo(new TransferCompleted("t-1"));
  }

  @Test
  void cannotDecodeWhatIsNotALedgerEvent() {
    assertThatThrownBy(() -> EventDecoder.decode("com.example.Other", null, bytes("{}")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("not a ledger event: com.example.Other");
    assertThatThrownBy(
            () -> EventDecoder.decode("io.ledgerline.events.FundsBorrowed", null, bytes("{}")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("unknown event type io.ledgerline.events.FundsBorrowed");
    assertThatThrownBy(
            () -> EventDecoder.decode(AccountOpened.class.getName(), null, bytes("{\"account")))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void aStoredRowNamesItsTypeAndDecodesItsPayload() {
    StoredEvent row =
        new StoredEvent(
            7,
            "e-1",
            "Account",
            "acc-1",
            0,
            "2026-01-31T10:15:30.123Z",
            AccountOpened.class.getName(),
            null,
            bytes(
                "{\"accountId\":\"acc-1\",\"ownerId\":\"o\",\"currency\":\"EUR\",\"overdraftLimitMinor\":0}"),
            null,
            new byte[32]);

    assertThat(row.typeName()).isEqualTo("AccountOpened");
    assertThat(row.instant()).hasToString("2026-01-31T10:15:30.123Z");
    assertThat(row.event()).isEqualTo(new AccountOpened("acc-1", "o", "EUR", 0));
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
