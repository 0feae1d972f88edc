package io.ledgerline.command.personaldata;

import io.ledgerline.eventstore.personaldata.KeyEncryption;
import io.ledgerline.eventstore.personaldata.OwnerKey;
import io.ledgerline.eventstore.personaldata.PersonalData;
import io.ledgerline.eventstore.personaldata.PersonalDataCipher;
import java.util.Arrays;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Seals personal data for the events the command side stores, and opens it for its answers. An
 * owner's key is created on first use: inserted unless a concurrent request (on any instance)
 * inserted one first, then read back, so that everybody seals with the same key. Once the owner is
 * erased nothing more is sealed for them: new personal data is refused.
 *
 * <p>Keys are read through {@link PersonalData}'s short-lived cache ({@code
 * ledgerline.personal-data.key-cache-ttl}, at most 5 s): within it, an instance that did not erase
 * the owner may still seal a new text under the destroyed key, which is then unreadable at once.
 */
@Component
public class PersonalDataVault {

  private final JdbcTemplate jdbc;
  private final PersonalData personalData;
  private final KeyEncryption encryption;

  PersonalDataVault(JdbcTemplate jdbc, PersonalData personalData, KeyEncryption encryption) {
    this.jdbc = jdbc;
    this.personalData = personalData;
    this.encryption = encryption;
  }

  /**
   * {@code text}, the value of the personal field {@code field} of {@code ownerId}, sealed under
   * the owner's key (created if it is the owner's first), as events store it; {@code null} stays
   * {@code null}.
   *
   * @throws PersonalDataErasedException when the owner's personal data was erased
   */
  public String seal(String ownerId, String field, String text) {
    if (text == null) {
      return null;
    }
    OwnerKey key = keyOf(ownerId);
    if (key.erased()) {
      throw new PersonalDataErasedException(ownerId);
    }
    return PersonalDataCipher.seal(key.keyId(), key.key(), ownerId, field, text).text();
  }

  /** A stored personal field opened for an answer (or erased), see {@link PersonalData}. */
  public PersonalData.Opened open(String stored, String field) {
    return personalData.open(stored, field);
  }

  /**
   * The id of the owner's key, created if the owner has none yet, so that erasing an owner who
   * never had personal data still records which key is gone and refuses any later.
   */
  public String keyIdOf(String ownerId) {
    return keyOf(ownerId).keyId();
  }

  /** Forgets this instance's copy of the owner's key, right after erasing it. */
  public void forget(String ownerId) {
    personalData.forget(ownerId);
  }

  private OwnerKey keyOf(String ownerId) {
    return personalData.keyOf(ownerId).orElseGet(() -> create(ownerId));
  }

  private OwnerKey create(String ownerId) {
    String keyId = UUID.randomUUID().toString();
    byte[] key = PersonalDataCipher.newKey();
    try {
      jdbc.update(
          "insert into owner_data_key (owner_id, key_id, key, key_wrapping) values (?, ?, ?, ?)"
              + " on conflict (owner_id) do nothing",
          ownerId,
          keyId,
          encryption.wrap(keyId, key),
          encryption.name());
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    // Ours, or the one a concurrent request inserted first.
    return personalData
        .keyOf(ownerId)
        .orElseThrow(() -> new IllegalStateException("no key stored for owner " + ownerId));
  }
}
