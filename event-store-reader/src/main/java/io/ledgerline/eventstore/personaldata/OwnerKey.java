package io.ledgerline.eventstore.personaldata;

import java.time.Instant;

/**
 * An owner's key as {@code owner_data_key} holds it, unwrapped.
 *
 * @param ownerId the owner
 * @param keyId the key's id, written into every text sealed with it
 * @param key the 32 bytes of the AES key, or {@code null} once the owner is erased
 * @param erasedAt when the owner was erased, or {@code null}
 */
public record OwnerKey(String ownerId, String keyId, byte[] key, Instant erasedAt) {

  /** Whether the key was destroyed: nothing sealed with it opens any more. */
  public boolean erased() {
    return key == null;
  }

  /** Never the key itself: a key must not end up in a log. */
  @Override
  public String toString() {
    return "OwnerKey[ownerId="
        + ownerId
        + ", keyId="
        + keyId
        + (erased() ? ", erased at " + erasedAt : "")
        + "]";
  }
}
