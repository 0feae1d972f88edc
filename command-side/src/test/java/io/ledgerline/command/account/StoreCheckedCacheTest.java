package io.ledgerline.command.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.FundsDeposited;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.junit.jupiter.api.Test;

class StoreCheckedCacheTest {

  private final Map<String, Long> store = new HashMap<>();
  private final StoreCheckedCache testSubject =
      new StoreCheckedCache(new WeakReferenceCache(), id -> Optional.ofNullable(store.get(id)));

  @Test
  void canServeAnEntryThatMatchesTheStoredVersion() {
    store.put("a-1", 1L);
    AggregateCacheEntry<Account> entry = cachedAccount("a-1", 1);
    testSubject.put("a-1", entry);

    assertThat((Object) testSubject.get("a-1")).isSameAs(entry);
  }

  @Test
  void cannotServeAnEntryBehindTheStoreAndDropsIt() {
    testSubject.put("a-2", cachedAccount("a-2", 1));
    store.put("a-2", 2L); // another instance appended an event

    assertThat((Object) testSubject.get("a-2")).isNull();
    store.put("a-2", 1L);
    assertThat((Object) testSubject.get("a-2")).as("dropped, not hidden").isNull();
  }

  @Test
  void cannotServeAnEntryOfAnAccountTheStoreDoesNotHold() {
    testSubject.put("a-3", cachedAccount("a-3", 0));

    assertThat(testSubject.containsKey("a-3")).isFalse();
  }

  private static AggregateCacheEntry<Account> cachedAccount(String id, int lastSequence) {
    var model = AnnotatedAggregateMetaModelFactory.inspectAggregate(Account.class);
    EventSourcedAggregate<Account> aggregate =
        EventSourcedAggregate.initialize(
            new Account(), model, null, NoSnapshotTriggerDefinition.TRIGGER);
    List<GenericDomainEventMessage<Object>> events = new java.util.ArrayList<>();
    events.add(
        new GenericDomainEventMessage<>("Account", id, 0, new AccountOpened(id, "o", "EUR", 0)));
    for (int sequence = 1; sequence <= lastSequence; sequence++) {
      events.add(
          new GenericDomainEventMessage<>(
              "Account", id, sequence, new FundsDeposited(id, 1, "EUR", sequence, null)));
    }
    aggregate.initializeState(DomainEventStream.of(events.stream()));
    assertThat(aggregate.version()).isEqualTo((long) lastSequence);
    return new AggregateCacheEntry<>(aggregate);
  }
}
