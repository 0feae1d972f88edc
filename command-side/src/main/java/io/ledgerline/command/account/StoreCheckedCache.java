package io.ledgerline.command.account;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;

/**
 * The account cache, checked against the event store on every read. Several command-side instances
 * append to one store, so a cached account may miss another instance's events. A stale entry that
 * leads to an append is caught by the unique (aggregate, sequence) key, but a decision that appends
 * nothing (a refusal, a no-op) would be taken on old state. So an entry is used only while its
 * version equals the store's last sequence number for the account (one indexed lookup, much cheaper
 * than reading and folding the events); otherwise it is dropped and the account is loaded from the
 * store.
 */
final class StoreCheckedCache implements Cache {

  private static final AggregateModel<Account> MODEL =
      AnnotatedAggregateMetaModelFactory.inspectAggregate(Account.class);

  private final Cache delegate;
  private final Function<String, Optional<Long>> storedVersion;

  /**
   * @param delegate where entries live
   * @param storedVersion the last stored sequence number of an aggregate, if it has events
   */
  StoreCheckedCache(Cache delegate, Function<String, Optional<Long>> storedVersion) {
    this.delegate = delegate;
    this.storedVersion = storedVersion;
  }

  @Override
  public <K, V> V get(K key) {
    V value = delegate.get(key);
    if (value instanceof AggregateCacheEntry<?> entry && !isCurrent(key.toString(), entry)) {
      delegate.remove(key);
      return null;
    }
    return value;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private boolean isCurrent(String aggregateId, AggregateCacheEntry<?> entry) {
    Long cached;
    try {
      // An in-process entry hands back the very aggregate it holds; the model is not consulted.
      cached = ((AggregateCacheEntry) entry).recreateAggregate(MODEL, null, null).version();
    } catch (RuntimeException unreadable) {
      return false;
    }
    return cached != null && storedVersion.apply(aggregateId).equals(Optional.of(cached));
  }

  @Override
  public void put(Object key, Object value) {
    delegate.put(key, value);
  }

  @Override
  public boolean putIfAbsent(Object key, Object value) {
    return delegate.putIfAbsent(key, value);
  }

  @Override
  public <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
    T value = get(key);
    return value != null ? value : delegate.computeIfAbsent(key, valueSupplier);
  }

  @Override
  public boolean remove(Object key) {
    return delegate.remove(key);
  }

  @Override
  public void removeAll() {
    delegate.removeAll();
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
    return delegate.registerCacheEntryListener(cacheEntryListener);
  }

  @Override
  public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
    if (get(key) != null) {
      delegate.computeIfPresent(key, update);
    }
  }
}
