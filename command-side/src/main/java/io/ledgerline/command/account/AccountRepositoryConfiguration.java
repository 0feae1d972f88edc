package io.ledgerline.command.account;

import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps per-command work independent of an account's history: loaded accounts are cached, and a
 * snapshot is stored every {@code ledgerline.accounts.snapshot-threshold} events so a cold load
 * reads at most that many events.
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
   * A stale entry (another instance appended meanwhile) fails its append on the unique (aggregate,
   * sequence) key, is evicted and the command is retried.
   */
  @Bean
  Cache accountCache() {
    return new WeakReferenceCache();
  }
}
