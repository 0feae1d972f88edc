package io.ledgerline.command.account;

import java.lang.ref.SoftReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

/**
 * The accounts most recently used, up to a fixed count, evicted least recently used first. Axon's
 * {@code WeakReferenceCache} let every young collection empty the cache, so under load most
 * commands read the account's snapshot and events again. Entries are held through soft references:
 * they survive collections while the heap has room, and an account with a long history (its sets of
 * handled transfers grow with it) still cannot run the heap out, because the collector clears soft
 * references before it gives up.
 */
final class BoundedCache implements Cache {

  private final Map<Object, SoftReference<Object>> entries;
  private final List<EntryListener> listeners = new CopyOnWriteArrayList<>();

  BoundedCache(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("a cache holds at least one entry: " + maxEntries);
    }
    this.entries =
        new LinkedHashMap<>(Math.min(maxEntries, 1024), 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Object, SoftReference<Object>> eldest) {
            if (size() <= maxEntries) {
              return false;
            }
            listeners.forEach(l -> l.onEntryExpired(eldest.getKey()));
            return true;
          }
        };
  }

  @Override
  @SuppressWarnings("unchecked")
  public synchronized <K, V> V get(K key) {
    Object value = referent(key);
    if (value != null) {
      listeners.forEach(l -> l.onEntryRead(key, value));
    }
    return (V) value;
  }

  @Override
  public synchronized void put(Object key, Object value) {
    if (value == null) {
      remove(key);
      return;
    }
    SoftReference<Object> previous = entries.put(key, new SoftReference<>(value));
    if (previous == null || previous.get() == null) {
      listeners.forEach(l -> l.onEntryCreated(key, value));
    } else {
      listeners.forEach(l -> l.onEntryUpdated(key, value));
    }
  }

  @Override
  public synchronized boolean putIfAbsent(Object key, Object value) {
    if (referent(key) != null) {
      return false;
    }
    put(key, value);
    return true;
  }

  @Override
  public synchronized <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
    T present = get(key);
    if (present != null) {
      return present;
    }
    T value = valueSupplier.get();
    put(key, value);
    return value;
  }

  @Override
  public synchronized boolean remove(Object key) {
    if (entries.remove(key) == null) {
      return false;
    }
    listeners.forEach(l -> l.onEntryRemoved(key));
    return true;
  }

  @Override
  public synchronized void removeAll() {
    for (Object key : List.copyOf(entries.keySet())) {
      remove(key);
    }
  }

  @Override
  public synchronized boolean containsKey(Object key) {
    return referent(key) != null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public synchronized <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
    V value = (V) referent(key);
    if (value != null) {
      put(key, update.apply(value));
    }
  }

  /** The value under {@code key}, dropping the entry if the collector cleared it. */
  private Object referent(Object key) {
    SoftReference<Object> reference = entries.get(key);
    if (reference == null) {
      return null;
    }
    Object value = reference.get();
    if (value == null) {
      entries.remove(key);
      listeners.forEach(l -> l.onEntryExpired(key));
    }
    return value;
  }

  @Override
  public Registration registerCacheEntryListener(EntryListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  synchronized int size() {
    return entries.size();
  }
}
