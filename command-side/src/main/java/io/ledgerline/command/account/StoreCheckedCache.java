package io.ledgerline.command.account;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;

/**
 * The account cache, checked against the event store. Several command-side instances append to one
 * store, so a cached account may miss another instance's events.
 *
 * <ul>
 *   <li>A stale entry that leads to an append needs no check: the append fails on the unique
 *       (aggregate, sequence) key, the unit of work rolls back (which drops the entry) and the
 *       sender decides again ({@code api.AppendRaceRetry}).
 *   <li>A decision that appends nothing (a refusal, a no-op) would be taken on old state unnoticed.
 *       So the entry's version is compared with the store's last sequence number for the account:
 *       one indexed lookup, much cheaper than reading and folding the events.
 * </ul>
 *
 * <p>When that comparison is made depends on who decides. In a command the API sent (a root unit of
 * work that {@link StaleDecisionCheck} opened for deferral), it is made only after the handler, and
 * only if the decision appended nothing: a deposit, the common case, costs no lookup at all, and a
 * refusal or no-op on stale state becomes a {@link ConcurrencyException}, which the sender answers
 * by deciding again. Anywhere else (a command a tracking processor sends within its own
 * transaction, whose failure would stall the processor) the entry is checked before it is used, and
 * a stale one is dropped so the account is loaded from the store.
 *
 * <p>Deferring pays where this instance's entries are mostly current: one instance, or several with
 * each account's requests routed to one of them. Where another instance writes the same accounts
 * (round-robin routing), most entries are stale, and each deferred decision would cost a refused
 * append, a rollback and a retry. So whenever an entry is found stale (by either check, or by an
 * append the store refused, {@link #staleSeen}), every entry is checked before use for the next
 * {@code checkFirstFor}, as before deferral existed.
 */
final class StoreCheckedCache implements Cache {

  private static final AggregateModel<Account> MODEL =
      AnnotatedAggregateMetaModelFactory.inspectAggregate(Account.class);

  /** The unit-of-work resource that holds the accounts whose check is deferred. */
  private static final String DEFERRED = StoreCheckedCache.class.getName() + ".deferred";

  private final Cache delegate;
  private final Function<String, Optional<Long>> storedVersion;
  private final Function<String, Optional<Long>> committedVersion;
  private final long checkFirstNanos;
  private final LongSupplier nanoClock;
  private volatile long checkFirstUntil;

  /** An account served unchecked, and the version its decision started from. */
  private record Served(String aggregateId, EventSourcedAggregate<?> aggregate, long version) {}

  /**
   * @param delegate where entries live
   * @param storedVersion the last sequence number of an aggregate, if it has events, counting those
   *     the current unit of work has applied but not committed (the event store's answer)
   * @param committedVersion the same from committed events only (the storage engine's answer)
   * @param checkFirstFor how long entries are checked before use after one was found stale
   * @param nanoClock {@link System#nanoTime}, or a test's clock
   */
  StoreCheckedCache(
      Cache delegate,
      Function<String, Optional<Long>> storedVersion,
      Function<String, Optional<Long>> committedVersion,
      Duration checkFirstFor,
      LongSupplier nanoClock) {
    if (checkFirstFor.isNegative() || checkFirstFor.isZero()) {
      throw new IllegalArgumentException(
          "ledgerline.accounts.check-first-after-stale must be positive: " + checkFirstFor);
    }
    this.delegate = delegate;
    this.storedVersion = storedVersion;
    this.committedVersion = committedVersion;
    this.checkFirstNanos = checkFirstFor.toNanos();
    this.nanoClock = nanoClock;
    this.checkFirstUntil = nanoClock.getAsLong();
  }

  /**
   * Another instance wrote an account this one holds: check entries before use for a while. Called
   * when a check finds an entry stale and when the store refuses an append (StaleDecisionCheck).
   */
  void staleSeen() {
    checkFirstUntil = nanoClock.getAsLong() + checkFirstNanos;
  }

  private boolean checkingFirst() {
    return nanoClock.getAsLong() - checkFirstUntil < 0;
  }

  /**
   * Lets the entries served to this unit of work be checked after its handler ran ({@link
   * #verifyDecisions}) instead of before they are used.
   */
  static void deferChecks(UnitOfWork<?> unitOfWork) {
    unitOfWork.resources().put(DEFERRED, new ArrayList<Served>(1));
  }

  /**
   * Throws a {@link ConcurrencyException} (and drops the entry) when an account served to this unit
   * of work unchecked was behind the store and the decision would stand unnoticed: always after a
   * refusal ({@code refused}), otherwise only if nothing was applied to the account (an append
   * would have been caught by the store's key).
   */
  void verifyDecisions(UnitOfWork<?> unitOfWork, Throwable refused) {
    List<Served> served = unitOfWork.getResource(DEFERRED);
    if (served == null) {
      return;
    }
    for (Served account : served) {
      boolean appendsNothing = account.aggregate().version() == account.version();
      if (refused == null && !appendsNothing) {
        continue;
      }
      Optional<Long> stored;
      try {
        // Committed events only: a handler that applied events and then refused has staged them.
        stored = committedVersion.apply(account.aggregateId());
      } catch (RuntimeException unread) {
        if (refused != null) {
          unread.addSuppressed(refused);
        }
        throw unread;
      }
      if (!stored.equals(Optional.of(account.version()))) {
        staleSeen();
        delegate.remove(account.aggregateId());
        ConcurrencyException stale =
            new ConcurrencyException(
                "account "
                    + account.aggregateId()
                    + " was decided on version "
                    + account.version()
                    + " while the store holds "
                    + stored.map(String::valueOf).orElse("none")
                    + "; it is decided again");
        if (refused != null) {
          stale.addSuppressed(refused);
        }
        throw stale;
      }
    }
  }

  @Override
  public <K, V> V get(K key) {
    return lookup(key, true);
  }

  private <K, V> V lookup(K key, boolean mayDefer) {
    V value = delegate.get(key);
    if (value instanceof AggregateCacheEntry<?> entry) {
      EventSourcedAggregate<?> aggregate = heldAggregate(entry);
      Long version = aggregate == null ? null : aggregate.version();
      List<Served> deferred = mayDefer ? deferredChecks() : null;
      if (version != null && deferred != null && !checkingFirst()) {
        deferred.add(new Served(key.toString(), aggregate, version));
        return value;
      }
      if (version == null || !storedVersion.apply(key.toString()).equals(Optional.of(version))) {
        if (version != null) {
          staleSeen();
        }
        delegate.remove(key);
        return null;
      }
    }
    return value;
  }

  private static List<Served> deferredChecks() {
    return CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get().getResource(DEFERRED) : null;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static EventSourcedAggregate<?> heldAggregate(AggregateCacheEntry<?> entry) {
    try {
      // An in-process entry hands back the very aggregate it holds; the model is not consulted.
      return ((AggregateCacheEntry) entry).recreateAggregate(MODEL, null, null);
    } catch (RuntimeException unreadable) {
      return null;
    }
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
    T value = lookup(key, false);
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
    return lookup(key, false) != null;
  }

  @Override
  public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
    return delegate.registerCacheEntryListener(cacheEntryListener);
  }

  @Override
  public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
    if (lookup(key, false) != null) {
      delegate.computeIfPresent(key, update);
    }
  }
}
