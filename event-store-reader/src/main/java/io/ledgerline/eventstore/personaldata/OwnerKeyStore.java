package io.ledgerline.eventstore.personaldata;

import java.util.Optional;

/** Where owners' keys are looked up, unwrapped: by the id a sealed text names, or by owner. */
public interface OwnerKeyStore {

  /** The key with this id, if there is one. */
  Optional<OwnerKey> byKeyId(String keyId);

  /** The owner's key, if one was ever created. */
  Optional<OwnerKey> byOwner(String ownerId);

  /** Drops what this store remembers of the owner's key, so its next lookup reads it afresh. */
  default void forget(String ownerId) {}
}
