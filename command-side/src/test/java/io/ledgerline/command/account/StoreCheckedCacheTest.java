package io.ledgerline.command.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.FundsDeposited;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StoreCheckedCacheTest {

  private final Map<String, Long> store = new HashMap<>();

  /**
   * Events the current unit of work applied but has not committed, which the event store counts.
   */
  private final Map<String, Long> staged = new HashMap<>();

  private int lookups;
  private int committedLookups;
  private long now = 1_000;
  private RuntimeException storeDown;
  private final StoreCheckedCache testSubject =
      new StoreCheckedCache(
          new WeakReferenceCache(),
          id -> {
            lookups++;
            return Optional.ofNullable(staged.getOrDefault(id, store.get(id)));
          },
          id -> {
            lookups++;
            committedLookups++;
            if (storeDown != null) {
              throw storeDown;
            }
            return Optional.ofNullable(store.get(id));
          },
          Duration.ofNanos(60),
          () -> now);

  @AfterEach
  void endAnyUnitOfWork() {
    while (CurrentUnitOfWork.isStarted()) {
      CurrentUnitOfWork.get().rollback();
    }
  }

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

  @Test
  void deferredServesAStaleEntryUncheckedAndRejectsTheRefusalDecidedOnIt() {
    AggregateCacheEntry<Account> entry = cachedAccount("a-4", 1);
    testSubject.put("a-4", entry);
    store.put("a-4", 2L); // another instance appended an event
    UnitOfWork<?> command = deferredCommand();

    assertThat((Object) testSubject.get("a-4")).isSameAs(entry);
    assertThat(lookups).as("no read of the store before the decision").isZero();
    var refusal = new IllegalStateException("insufficient funds");
    assertThatThrownBy(() -> testSubject.verifyDecisions(command, refusal))
        .isInstanceOf(ConcurrencyException.class)
        .hasMessageContaining("version 1 while the store holds 2")
        .satisfies(stale -> assertThat(stale.getSuppressed()).containsExactly(refusal));
    assertThat((Object) testSubject.get("a-4")).as("dropped").isNull();
  }

  @Test
  void deferredRejectsANoOpDecidedOnAStaleEntry() {
    testSubject.put("a-5", cachedAccount("a-5", 1));
    store.put("a-5", 3L);
    UnitOfWork<?> command = deferredCommand();
    testSubject.get("a-5");

    assertThatThrownBy(() -> testSubject.verifyDecisions(command, null))
        .isInstanceOf(ConcurrencyException.class);
  }

  @Test
  void deferredLetsANoOpOrRefusalOnTheStoredVersionStand() {
    testSubject.put("a-6", cachedAccount("a-6", 2));
    store.put("a-6", 2L);
    UnitOfWork<?> command = deferredCommand();
    testSubject.get("a-6");

    assertThatCode(() -> testSubject.verifyDecisions(command, null)).doesNotThrowAnyException();
    assertThatCode(() -> testSubject.verifyDecisions(command, new IllegalStateException("no")))
        .doesNotThrowAnyException();
    assertThat(lookups).isEqualTo(2);
  }

  @Test
  void deferredLeavesADecisionThatAppendsToTheStoresKey() {
    AggregateCacheEntry<Account> entry = cachedAccount("a-7", 1);
    testSubject.put("a-7", entry);
    store.put("a-7", 2L); // stale: the append of sequence 2 will fail on the store's key
    UnitOfWork<?> command = deferredCommand();
    EventSourcedAggregate<Account> account =
        entry.recreateAggregate(
            AnnotatedAggregateMetaModelFactory.inspectAggregate(Account.class), null, null);
    testSubject.get("a-7");

    account.execute(held -> AggregateLifecycle.apply(new FundsDeposited("a-7", 5, "EUR", 6, null)));

    assertThat(account.version()).isEqualTo(2L);
    assertThatCode(() -> testSubject.verifyDecisions(command, null)).doesNotThrowAnyException();
    assertThat(lookups).as("an append needs no read").isZero();
  }

  @Test
  void aNestedUnitOfWorkChecksBeforeUse() {
    testSubject.put("a-8", cachedAccount("a-8", 1));
    store.put("a-8", 2L);
    deferredCommand();
    DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage("nested step"));

    assertThat((Object) testSubject.get("a-8")).isNull();
    assertThat(lookups).isEqualTo(1);
  }

  @Test
  void aRefusalAfterAppliedEventsIsJudgedOnTheCommittedVersion() {
    AggregateCacheEntry<Account> entry = cachedAccount("a-9", 1);
    testSubject.put("a-9", entry);
    store.put("a-9", 1L);
    UnitOfWork<?> command = deferredCommand();
    testSubject.get("a-9");
    staged.put("a-9", 2L); // the handler applied an event, then refused

    assertThatCode(() -> testSubject.verifyDecisions(command, new IllegalStateException("no")))
        .doesNotThrowAnyException();
  }

  @Test
  void afterAStaleEntryEveryEntryIsCheckedBeforeUseForAWhile() {
    testSubject.put("a-10", cachedAccount("a-10", 1));
    testSubject.put("a-11", cachedAccount("a-11", 1));
    store.put("a-10", 2L);
    store.put("a-11", 1L);
    UnitOfWork<?> command = deferredCommand();
    testSubject.get("a-10");
    assertThatThrownBy(() -> testSubject.verifyDecisions(command, null))
        .isInstanceOf(ConcurrencyException.class);
    command.rollback();

    deferredCommand();
    testSubject.get("a-11");
    assertThat(lookups).as("checked before use while another instance writes").isEqualTo(2);
    CurrentUnitOfWork.get().rollback();

    now += 60;
    deferredCommand();
    testSubject.get("a-11");
    assertThat(lookups).as("deferred again once the while has passed").isEqualTo(2);
  }

  @Test
  void anAppendTheStoreRefusedAlsoStartsCheckingBeforeUse() throws Exception {
    testSubject.put("a-12", cachedAccount("a-12", 1));
    store.put("a-12", 1L);
    UnitOfWork<?> refused =
        DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage("x"));
    new StaleDecisionCheck(testSubject).handle(castToCommand(refused), () -> "decided");
    refused.rollback(new ConcurrencyException("event 2 of a-12 is already stored"));

    deferredCommand();
    testSubject.get("a-12");

    assertThat(lookups).isEqualTo(1);
  }

  @Test
  void aStaleEntryFoundBeforeUseAlsoStartsCheckingBeforeUse() {
    testSubject.put("a-13", cachedAccount("a-13", 1));
    testSubject.put("a-14", cachedAccount("a-14", 1));
    store.put("a-13", 2L);
    store.put("a-14", 1L);
    deferredCommand();
    DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage("nested step"));
    assertThat((Object) testSubject.get("a-13")).isNull();
    CurrentUnitOfWork.get().rollback();
    CurrentUnitOfWork.get().rollback();

    deferredCommand();
    testSubject.get("a-14");

    assertThat(lookups).isEqualTo(2);
  }

  @Test
  void anyOtherRollbackLeavesTheChecksDeferred() throws Exception {
    testSubject.put("a-15", cachedAccount("a-15", 1));
    store.put("a-15", 2L);
    UnitOfWork<?> refused =
        DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage("x"));
    new StaleDecisionCheck(testSubject).handle(castToCommand(refused), () -> "decided");
    refused.rollback(new IllegalStateException("account frozen"));

    deferredCommand();
    testSubject.get("a-15");

    assertThat(lookups).isZero();
  }

  @Test
  void beforeUseTheEntryIsComparedWithWhatTheUnitOfWorkStagedToo() {
    // A processor's batch: an earlier command of the batch applied event 2 to the cached account
    // (the entry holds version 2); the store has not committed it yet.
    testSubject.put("a-16", cachedAccount("a-16", 2));
    store.put("a-16", 1L);
    staged.put("a-16", 2L);
    DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage("nested step"));

    assertThat((Object) testSubject.get("a-16")).isNotNull();
    assertThat(committedLookups).isZero();
  }

  @Test
  void aRefusalIsKeptWhenTheStoreCannotBeRead() {
    testSubject.put("a-17", cachedAccount("a-17", 1));
    store.put("a-17", 1L);
    UnitOfWork<?> command = deferredCommand();
    testSubject.get("a-17");
    storeDown = new IllegalStateException("connection refused");
    var refusal = new IllegalStateException("insufficient funds");

    assertThatThrownBy(() -> testSubject.verifyDecisions(command, refusal))
        .isSameAs(storeDown)
        .satisfies(failure -> assertThat(failure.getSuppressed()).containsExactly(refusal));
  }

  @Test
  void aWindowOfNoLengthIsRefused() {
    assertThatThrownBy(
            () ->
                new StoreCheckedCache(
                    new WeakReferenceCache(),
                    id -> Optional.empty(),
                    id -> Optional.empty(),
                    Duration.ZERO,
                    System::nanoTime))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @SuppressWarnings("unchecked")
  private static UnitOfWork<org.axonframework.commandhandling.CommandMessage<?>> castToCommand(
      UnitOfWork<?> unitOfWork) {
    return (UnitOfWork<org.axonframework.commandhandling.CommandMessage<?>>) unitOfWork;
  }

  private static UnitOfWork<?> deferredCommand() {
    UnitOfWork<?> command =
        DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage("deposit"));
    StoreCheckedCache.deferChecks(command);
    return command;
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
