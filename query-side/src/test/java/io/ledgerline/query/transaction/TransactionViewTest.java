package io.ledgerline.query.transaction;

import static io.ledgerline.query.projection.LedgerEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.PersonalFields;
import io.ledgerline.events.TransferDebitReversed;
import io.ledgerline.eventstore.personaldata.OwnerKey;
import io.ledgerline.eventstore.personaldata.OwnerKeyStore;
import io.ledgerline.eventstore.personaldata.PersonalData;
import io.ledgerline.eventstore.personaldata.PersonalDataCipher;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The index keeps a movement's reference sealed; the API opens it, or says it was erased. */
class TransactionViewTest {

  private static final byte[] KEY = PersonalDataCipher.newKey();

  private final AtomicReference<OwnerKey> aliceKey =
      new AtomicReference<>(new OwnerKey("alice", "k-1", KEY, null));
  private final PersonalData personalData =
      new PersonalData(
          new OwnerKeyStore() {
            @Override
            public Optional<OwnerKey> byKeyId(String keyId) {
              return Optional.of(aliceKey.get()).filter(k -> k.keyId().equals(keyId));
            }

            @Override
            public Optional<OwnerKey> byOwner(String ownerId) {
              return Optional.of(aliceKey.get()).filter(k -> k.ownerId().equals(ownerId));
            }
          });

  private final String sealed =
      PersonalDataCipher.seal("k-1", KEY, "alice", PersonalFields.REFERENCE, "salary Alice").text();
  private final TransactionDocument stored =
      TransactionDocument.of(
              event("a-1", 1, new FundsDeposited("a-1", 1_000, "EUR", 1_000, sealed)))
          .orElseThrow();

  @Test
  void theDocumentHoldsTheSealedReferenceOnly() {
    assertThat(stored.reference()).isEqualTo(sealed).doesNotContain("salary", "Alice");
  }

  @Test
  void theAnswerOpensTheReference() {
    TransactionView shown = TransactionView.of(stored, personalData);

    assertThat(shown.reference()).isEqualTo("salary Alice");
    assertThat(shown.referenceErased()).isFalse();
    assertThat(shown.amount()).isEqualTo(1_000);
    assertThat(shown.balanceAfter()).isEqualTo(1_000);
  }

  @Test
  void onceTheOwnerIsErasedTheSameDocumentAnswersErasedWithItsAmountsUnchanged() {
    aliceKey.set(new OwnerKey("alice", "k-1", null, Instant.parse("2026-03-02T14:05:12Z")));

    TransactionView shown = TransactionView.of(stored, personalData);

    assertThat(shown.reference()).isNull();
    assertThat(shown.referenceErased()).isTrue();
    assertThat(shown.amount()).isEqualTo(1_000);
    assertThat(shown.signedAmount()).isEqualTo(1_000);
    assertThat(shown.balanceAfter()).isEqualTo(1_000);
  }

  @Test
  void aReversalsReasonIsTheLedgersOwnTextAndShownAsItIs() {
    TransactionDocument reversal =
        TransactionDocument.of(
                event(
                    "a-1",
                    2,
                    new TransferDebitReversed(
                        "a-1", "t-1", 100, "EUR", 1_000, "destination account is frozen")))
            .orElseThrow();

    TransactionView shown = TransactionView.of(reversal, personalData);

    assertThat(shown.reference()).isEqualTo("destination account is frozen");
    assertThat(shown.referenceErased()).isFalse();
  }
}
