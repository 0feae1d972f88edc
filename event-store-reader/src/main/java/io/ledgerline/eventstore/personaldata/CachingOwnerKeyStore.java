package io.ledgerline.eventstore.personaldata;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Remembers keys for a short time, so that reading a page of sealed texts is not a query per text.
 * A key read at most {@code timeToLive} ago is used as read; so an instance that did not erase an
 * owner stops opening the owner's data at most {@code timeToLive} after the erasure committed (the
 * instance that erased forgets the key at once). An erased key is remembered as erased for good;
 * nothing unknown is remembered. At most {@code maxEntries} keys are kept (then all are dropped).
 */
public final class CachingOwnerKeyStore implements OwnerKeyStore {

  private record Entry(OwnerKey key, long readAtNanos) {}

  private final OwnerKeyStore source;
  private final long timeToLiveNanos;
  private final int maxEntries;
  private final LongSupplier nanoTime;
  private final Map<String, Entry> byKeyId = new ConcurrentHashMap<>();
  private final Map<String, Entry> byOwner = new ConcurrentHashMap<>();

  public CachingOwnerKeyStore(OwnerKeyStore source, Duration timeToLive, int maxEntries) {
    this(source, timeToLive, maxEntries, System::nanoTime);
  }

  CachingOwnerKeyStore(
      OwnerKeyStore source, Duration timeToLive, int maxEntries, LongSupplier nanoTime) {
    this.source = source;
    this.timeToLiveNanos = timeToLive.toNanos();
    this.maxEntries = maxEntries;
    this.nanoTime = nanoTime;
  }

  @Override
  public Optional<OwnerKey> byKeyId(String keyId) {
    return cached(byKeyId.get(keyId)).or(() -> remember(source.byKeyId(keyId)));
  }

  @Override
  public Optional<OwnerKey> byOwner(String ownerId) {
    return cached(byOwner.get(ownerId)).or(() -> remember(source.byOwner(ownerId)));
  }

  @Override
  public void forget(String ownerId) {
    Entry entry = byOwner.remove(ownerId);
    if (entry != null) {
      byKeyId.remove(entry.key().keyId());
    }
    byKeyId.values().removeIf(other -> other.key().ownerId().equals(ownerId));
    source.forget(ownerId);
  }

  private Optional<OwnerKey> cached(Entry entry) {
    if (entry == null) {
      return Optional.empty();
    }
    boolean fresh = nanoTime.getAsLong() - entry.readAtNanos() < timeToLiveNanos;
    return entry.key().erased() || fresh ? Optional.of(entry.key()) : Optional.empty();
  }

  private Optional<OwnerKey> remember(Optional<OwnerKey> read) {
    if (read.isPresent() && timeToLiveNanos > 0) {
      if (byKeyId.size() >= maxEntries || byOwner.size() >= maxEntries) {
        byKeyId.clear();
        byOwner.clear();
      }
      Entry entry = new Entry(read.get(), nanoTime.getAsLong());
      byKeyId.put(read.get().keyId(), entry);
      byOwner.put(read.get().ownerId(), entry);
    }
    return read;
  }
}
