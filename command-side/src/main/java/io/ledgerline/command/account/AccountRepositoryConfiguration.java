package io.ledgerline.command.account;

import java.time.Duration;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps per-command work independent of an account's history: up to {@code
 * ledgerline.accounts.cache-size} loaded accounts are cached, and a snapshot is stored every {@code
 * ledgerline.accounts.snapshot-threshold} events so a cold load reads at most that many events.
 */
@Configuration(proxyBeanMethods = false)
class AccountRepositoryConfiguration {

  @Bean
  SnapshotTriggerDefinition accountSnapshotTrigger(
      Snapshotter snapshotter,
      @Value("${ledgerline.accounts.snapshot-threshold:100}") int snapshotThreshold) {
    return new EventCountSnapshotTriggerDefinition(snapshotter, snapshotThreshold);
  }

  /**
   * Entries are checked against the store's last sequence number, so every decision stands on the
   * latest stored state whatever other instances appended (see {@link StoreCheckedCache} and {@link
   * StaleDecisionCheck}); an append on a stale entry fails on the unique (aggregate, sequence) key
   * and is decided again.
   */
  @Bean
  StoreCheckedCache accountCache(
      ObjectProvider<EventStore> eventStore,
      ObjectProvider<EventStorageEngine> storageEngine,
      @Value("${ledgerline.accounts.cache-size:10000}") int cacheSize,
      @Value("${ledgerline.accounts.check-first-after-stale:60s}") Duration checkFirstAfterStale) {
    return new StoreCheckedCache(
        new BoundedCache(cacheSize),
        id -> eventStore.getObject().lastSequenceNumberFor(id),
        id -> storageEngine.getObject().lastSequenceNumberFor(id),
        checkFirstAfterStale,
        System::nanoTime);
  }
}
