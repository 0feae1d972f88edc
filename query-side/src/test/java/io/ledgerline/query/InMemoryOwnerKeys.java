package io.ledgerline.query;

import io.ledgerline.eventstore.personaldata.OwnerKey;
import io.ledgerline.eventstore.personaldata.OwnerKeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Owners' keys in a map, as {@code owner_data_key} would hand them out: for unit tests. */
public record InMemoryOwnerKeys(Map<String, OwnerKey> byId) implements OwnerKeyStore {

  public InMemoryOwnerKeys() {
    this(new HashMap<>());
  }

  /** Adds {@code key} under its id. */
  public void put(OwnerKey key) {
    byId.put(key.keyId(), key);
  }

  @Override
  public Optional<OwnerKey> byKeyId(String keyId) {
    return Optional.ofNullable(byId.get(keyId));
  }

  @Override
  public Optional<OwnerKey> byOwner(String ownerId) {
    return byId.values().stream().filter(k -> k.ownerId().equals(ownerId)).findFirst();
  }
}
