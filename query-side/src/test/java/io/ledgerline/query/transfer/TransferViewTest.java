package io.ledgerline.query.transfer;

import static io.ledgerline.query.projection.LedgerEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.events.PersonalFields;
import io.ledgerline.events.TransferRequested;
import io.ledgerline.eventstore.personaldata.OwnerKey;
import io.ledgerline.eventstore.personaldata.PersonalData;
import io.ledgerline.eventstore.personaldata.PersonalDataCipher;
import io.ledgerline.query.InMemoryOwnerKeys;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The index keeps a transfer's reference sealed; the API opens it, or says it was erased. */
class TransferViewTest {

  private static final byte[] KEY = PersonalDataCipher.newKey();

  private final InMemoryOwnerKeys keys = new InMemoryOwnerKeys();
  private final PersonalData personalData = new PersonalData(keys);

  private final TransferDocument stored =
      TransferDocument.apply(
          null,
          event(
              "t-1",
              0,
              new TransferRequested(
                  "t-1",
                  "a-1",
                  "a-2",
                  500,
                  "EUR",
                  PersonalDataCipher.seal("k-1", KEY, "alice", PersonalFields.REFERENCE, "rent")
                      .text())));

  @Test
  void opensTheReferenceUnderThePayersKey() {
    keys.put(new OwnerKey("alice", "k-1", KEY, null));

    TransferView shown = TransferView.of(stored, personalData);

    assertThat(stored.reference()).doesNotContain("rent");
    assertThat(shown.reference()).isEqualTo("rent");
    assertThat(shown.referenceErased()).isFalse();
    assertThat(shown.amount()).isEqualTo(500);
  }

  @Test
  void showsTheReferenceErasedOnceThePayerIs() {
    keys.put(new OwnerKey("alice", "k-1", null, Instant.parse("2026-03-02T14:05:12Z")));

    TransferView shown = TransferView.of(stored, personalData);

    assertThat(shown.reference()).isNull();
    assertThat(shown.referenceErased()).isTrue();
    assertThat(shown.amount()).isEqualTo(500);
    assertThat(shown.status()).isEqualTo("REQUESTED");
  }
}
