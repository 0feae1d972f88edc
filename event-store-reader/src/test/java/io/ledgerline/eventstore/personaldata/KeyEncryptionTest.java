package io.ledgerline.eventstore.personaldata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyEncryptionTest {

  private final byte[] key = PersonalDataCipher.newKey();
  private final MasterKeyEncryption master = new MasterKeyEncryption(PersonalDataCipher.newKey());

  @Test
  void aKeyWrappedUnderTheMasterKeyUnwrapsUnderItOnly() {
    byte[] wrapped = master.wrap("k-1", key);

    assertThat(wrapped).isNotEqualTo(key).hasSizeGreaterThan(key.length);
    assertThat(master.unwrap("k-1", MasterKeyEncryption.NAME, wrapped)).isEqualTo(key);
    assertThatThrownBy(
            () ->
                new MasterKeyEncryption(PersonalDataCipher.newKey())
                    .unwrap("k-1", MasterKeyEncryption.NAME, wrapped))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aWrappedKeyMovedToAnotherKeyIdDoesNotUnwrap() {
    byte[] wrapped = master.wrap("k-1", key);

    assertThatThrownBy(() -> master.unwrap("k-2", MasterKeyEncryption.NAME, wrapped))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("k-2");
  }

  @Test
  void keysStoredBeforeAMasterKeyWasConfiguredAreStillRead() {
    byte[] stored = KeyEncryption.none().wrap("k-1", key);

    assertThat(stored).isEqualTo(key);
    assertThat(master.unwrap("k-1", KeyEncryption.Unwrapped.NAME, stored)).isEqualTo(key);
  }

  @Test
  void withoutAMasterKeyAWrappedKeyIsAConfigurationError() {
    byte[] wrapped = master.wrap("k-1", key);

    assertThatThrownBy(() -> KeyEncryption.none().unwrap("k-1", MasterKeyEncryption.NAME, wrapped))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("master-key");
  }

  @Test
  void aMasterKeyIs32Bytes() {
    assertThatThrownBy(() -> new MasterKeyEncryption(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
