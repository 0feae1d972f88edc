package io.ledgerline.eventstore.personaldata;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.eventstore.personaldata.PersonalData.State;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PersonalDataTest {

  private final Map<String, OwnerKey> keys = new HashMap<>();
  private final PersonalData testSubject = new PersonalData(new InMemoryKeys(keys));

  @Test
  void opensSealedTextUnderALiveKey() {
    byte[] key = PersonalDataCipher.newKey();
    keys.put("k-1", new OwnerKey("alice", "k-1", key, null));
    String stored = PersonalDataCipher.seal("k-1", key, "alice", "reference", "salary").text();

    PersonalData.Opened opened = testSubject.open(stored, "reference");

    assertThat(opened.state()).isEqualTo(State.OPENED);
    assertThat(opened.value()).isEqualTo("salary");
    assertThat(opened.erased()).isFalse();
  }

  @Test
  void oncetheKeyIsDestroyedTheSameStoredTextIsErased() {
    byte[] key = PersonalDataCipher.newKey();
    String stored = PersonalDataCipher.seal("k-1", key, "alice", "reference", "salary").text();
    keys.put("k-1", new OwnerKey("alice", "k-1", null, Instant.parse("2026-03-02T14:05:12Z")));

    PersonalData.Opened opened = testSubject.open(stored, "reference");

    assertThat(opened.state()).isEqualTo(State.ERASED);
    assertThat(opened.value()).isNull();
    assertThat(opened.erased()).isTrue();
  }

  @Test
  void nothingStaysNothing() {
    assertThat(testSubject.open(null, "reference").state()).isEqualTo(State.NONE);
    assertThat(testSubject.open(null, "reference").erased()).isFalse();
  }

  @Test
  void clearTextOfTheFirstRevisionIsShownAsItWasStored() {
    PersonalData.Opened opened = testSubject.open("salary", "reference");

    assertThat(opened.state()).isEqualTo(State.CLEAR);
    assertThat(opened.value()).isEqualTo("salary");
  }

  @Test
  void sealedTextWithoutItsKeyOrForAnotherFieldIsUnreadableNotErased() {
    byte[] key = PersonalDataCipher.newKey();
    String stored = PersonalDataCipher.seal("k-1", key, "alice", "name", "Alice").text();

    assertThat(testSubject.open(stored, "name").state()).isEqualTo(State.UNREADABLE);

    keys.put("k-1", new OwnerKey("alice", "k-1", key, null));
    PersonalData.Opened asEmail = testSubject.open(stored, "email");
    assertThat(asEmail.state()).isEqualTo(State.UNREADABLE);
    assertThat(asEmail.value()).isNull();
    assertThat(asEmail.erased()).isFalse();
  }

  @Test
  void anOwnerKeyNeverShowsItsBytes() {
    byte[] key = new byte[32];
    key[0] = 0x7f;

    assertThat(new OwnerKey("alice", "k-1", key, null).toString())
        .contains("alice", "k-1")
        .doesNotContain("127", "[B");
  }

  /** Keys by id, as owner_data_key would hand them out. */
  record InMemoryKeys(Map<String, OwnerKey> keys) implements OwnerKeyStore {

    @Override
    public Optional<OwnerKey> byKeyId(String keyId) {
      return Optional.ofNullable(keys.get(keyId));
    }

    @Override
    public Optional<OwnerKey> byOwner(String ownerId) {
      return keys.values().stream().filter(k -> k.ownerId().equals(ownerId)).findFirst();
    }
  }
}
