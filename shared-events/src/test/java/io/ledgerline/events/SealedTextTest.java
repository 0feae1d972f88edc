package io.ledgerline.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SealedTextTest {

  private static final byte[] BOX = new byte[SealedText.NONCE_BYTES + SealedText.TAG_BYTES + 5];

  @Test
  void readsBackWhatItWrites() {
    BOX[0] = (byte) 0xfb;
    BOX[BOX.length - 1] = (byte) 0xff;
    SealedText sealed = SealedText.of("5b0d6c2e-8f1a-4c3b", BOX);

    String text = sealed.text();

    assertThat(text).startsWith("pd:v1:5b0d6c2e-8f1a-4c3b:").doesNotContain("=", "+", "/");
    assertThat(SealedText.parse(text)).isEqualTo(sealed);
    assertThat(SealedText.parse(text).bytes()).isEqualTo(BOX);
    assertThat(SealedText.isSealed(text)).isTrue();
    assertThat(text).matches(Pattern.compile(SealedText.PATTERN));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "salary",
        "",
        "pd:v1:",
        "pd:v1:key",
        "pd:v1::AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pd:v1:key:short",
        "pd:v1:key id:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pd:v1:key:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
        "pd:v1:key:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+/",
        "pd:v1:key:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pd:v2:key:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
      })
  void anythingElseIsNotSealedTextAndParsingSaysWhy(String text) {
    assertThat(SealedText.isSealed(text)).isFalse();
    assertThat(SealedText.tryParse(text)).isEmpty();
    assertThatThrownBy(() -> SealedText.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sealed text");
  }

  @Test
  void nullIsNoSealedText() {
    assertThat(SealedText.isSealed(null)).isFalse();
    assertThat(SealedText.requireSealedOrNull(null, "reference")).isNull();
  }

  @Test
  void aPersonalFieldRefusesClearText() {
    String sealed = SealedText.of("k1", BOX).text();

    assertThat(SealedText.requireSealedOrNull(sealed, "reference")).isEqualTo(sealed);
    assertThatThrownBy(() -> SealedText.requireSealedOrNull("salary", "reference"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reference")
        .hasMessageNotContaining("salary");
  }

  @Test
  void everyPersonalFieldIsATextComponentOfItsEvent() {
    for (Class<? extends Record> type : EventWireFormat.eventTypes()) {
      for (String field : PersonalFields.of(type)) {
        assertThat(type.getRecordComponents())
            .as("%s.%s", type.getSimpleName(), field)
            .anyMatch(c -> c.getName().equals(field) && c.getType() == String.class);
      }
    }
    assertThat(PersonalFields.of(FundsDeposited.class)).containsExactly("reference");
    assertThat(PersonalFields.of(OwnerProfileRecorded.class)).containsExactly("name", "email");
    assertThat(PersonalFields.of(TransferDebitReversed.class)).isEmpty();
  }
}
