package io.ledgerline.eventstore.personaldata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerline.events.SealedText;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PersonalDataCipherTest {

  private static final byte[] KEY = PersonalDataCipher.newKey();

  @Test
  void opensWhatItSealedForTheSameOwnerAndField() {
    SealedText sealed = PersonalDataCipher.seal("k-1", KEY, "alice", "reference", "café ☕ 𝄞");

    assertThat(sealed.keyId()).isEqualTo("k-1");
    assertThat(SealedText.parse(sealed.text())).isEqualTo(sealed);
    assertThat(PersonalDataCipher.open(KEY, "alice", "reference", sealed)).isEqualTo("café ☕ 𝄞");
  }

  @Test
  void theSealedTextShowsNothingOfTheClearText() {
    SealedText sealed = PersonalDataCipher.seal("k-1", KEY, "alice", "name", "Alice Example");

    assertThat(sealed.text()).doesNotContain("Alice", "alice", "Example");
    assertThat(new String(sealed.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("Alice");
    assertThat(sealed.bytes())
        .hasSize(SealedText.NONCE_BYTES + "Alice Example".length() + SealedText.TAG_BYTES);
  }

  @Test
  void theSameTextSealsDifferentlyEachTime() {
    SealedText first = PersonalDataCipher.seal("k-1", KEY, "alice", "reference", "rent");
    SealedText second = PersonalDataCipher.seal("k-1", KEY, "alice", "reference", "rent");

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void anEmptyTextSealsAndOpens() {
    SealedText sealed = PersonalDataCipher.seal("k-1", KEY, "alice", "reference", "");

    assertThat(PersonalDataCipher.open(KEY, "alice", "reference", sealed)).isEmpty();
  }

  @Test
  void doesNotOpenForAnotherOwner() {
    SealedText sealed = PersonalDataCipher.seal("k-1", KEY, "alice", "reference", "rent");

    assertThatThrownBy(() -> PersonalDataCipher.open(KEY, "bob", "reference", sealed))
        .isInstanceOf(UnreadableSealedTextException.class);
  }

  @Test
  void doesNotOpenAsAnotherField() {
    SealedText sealed = PersonalDataCipher.seal("k-1", KEY, "alice", "name", "Alice");

    assertThatThrownBy(() -> PersonalDataCipher.open(KEY, "alice", "email", sealed))
        .isInstanceOf(UnreadableSealedTextException.class);
  }

  @Test
  void theOwnerAndTheFieldCannotBeShiftedIntoEachOther() {
    SealedText sealed = PersonalDataCipher.seal("k-1", KEY, "ab", "c", "text");

    assertThatThrownBy(() -> PersonalDataCipher.open(KEY, "a", "bc", sealed))
        .isInstanceOf(UnreadableSealedTextException.class);
  }

  @Test
  void doesNotOpenUnderAnotherKey() {
    SealedText sealed = PersonalDataCipher.seal("k-1", KEY, "alice", "reference", "rent");

    assertThatThrownBy(
            () ->
                PersonalDataCipher.open(PersonalDataCipher.newKey(), "alice", "reference", sealed))
        .isInstanceOf(UnreadableSealedTextException.class);
  }

  @Test
  void aChangedNonceCiphertextOrTagDoesNotOpen() {
    SealedText sealed = PersonalDataCipher.seal("k-1", KEY, "alice", "reference", "invoice 42");
    byte[] box = sealed.bytes();
    for (int at : new int[] {0, SealedText.NONCE_BYTES, box.length - 1}) {
      byte[] tampered = box.clone();
      tampered[at] ^= 1;

      assertThatThrownBy(
              () ->
                  PersonalDataCipher.open(
                      KEY, "alice", "reference", SealedText.of("k-1", tampered)))
          .as("a bit flipped at %d", at)
          .isInstanceOf(UnreadableSealedTextException.class);
    }
  }

  @Test
  void refusesAKeyOfTheWrongSize() {
    assertThatThrownBy(() -> PersonalDataCipher.seal("k-1", new byte[16], "a", "b", "c"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
