package io.ledgerline.command.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit's contract on Axon's own command bus, with a transaction manager that stages each
 * command's effect and keeps it only when the outermost transaction commits: nothing is answered
 * before its group's commit, a group is one transaction, and every command's outcome (and effect,
 * exactly once) is the one it would have had alone, whatever else failed in its group.
 */
class GroupCommitTest {

  @GroupCommitted
  record Credit(@TargetAggregateIdentifier String account, String id, boolean refuse) {}

  record Freeze(@TargetAggregateIdentifier String account) {}

  private static final TraceMetadata TRACES =
      new TraceMetadata(
          io.micrometer.tracing.Tracer.NOOP, io.micrometer.tracing.propagation.Propagator.NOOP);

  private final StagingTransactions transactions = new StagingTransactions();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<String> handlerThreads = new CopyOnWriteArrayList<>();
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private volatile CountDownLatch firstHandlerGate = new CountDownLatch(0);
  private final java.util.concurrent.atomic.AtomicBoolean failGroupAppendOnce =
      new java.util.concurrent.atomic.AtomicBoolean();
  private GroupCommit groupCommit;

  @BeforeEach
  void start() {
    SimpleCommandBus bus = SimpleCommandBus.builder().transactionManager(transactions).build();
    bus.subscribe(Credit.class.getName(), this::credit);
    bus.subscribe(
        Freeze.class.getName(),
        message -> {
          handlerThreads.add(Thread.currentThread().getName());
          transactions.stage("freeze");
          return "frozen";
        });
    groupCommit = oneCommitter(bus, TRACES);
    groupCommit.start();
  }

  @AfterEach
  void stop() {
    groupCommit.stop();
    callers.shutdownNow();
  }

  private Object credit(CommandMessage<?> message) throws InterruptedException {
    Credit credit = (Credit) message.getPayload();
    handlerThreads.add(Thread.currentThread().getName());
    if (credit.id().equals("first")) {
      firstHandlerGate.await(10, TimeUnit.SECONDS);
    }
    if (credit.refuse()) {
      throw new IllegalArgumentException("refused " + credit.id());
    }
    var unitOfWork = CurrentUnitOfWork.get();
    if (unitOfWork.root() != unitOfWork
        && !credit.id().equals("first")
        && failGroupAppendOnce.compareAndSet(true, false)) {
      // As the event store's append at the group's prepare-commit, refused by the unique key.
      unitOfWork
          .root()
          .onPrepareCommit(
              group -> {
                throw new IllegalStateException("append refused");
              });
    }
    transactions.stage(credit.id());
    return "credited " + credit.id();
  }

  private Future<Object> send(Object command) {
    return callers.submit(
        () -> groupCommit.sendAndWait(command, MetaData.emptyInstance(), 10, TimeUnit.SECONDS));
  }

  /** Holds the first command in its handler until {@code others} callers wait for their group. */
  private List<Future<Object>> queueBehindFirst(List<Credit> others) throws Exception {
    firstHandlerGate = new CountDownLatch(1);
    List<Future<Object>> results = new ArrayList<>();
    results.add(send(new Credit("a", "first", false)));
    awaitCondition(() -> handlerThreads.size() == 1);
    List<Thread> waiting = new CopyOnWriteArrayList<>();
    for (Credit other : others) {
      CountDownLatch sent = new CountDownLatch(1);
      results.add(
          callers.submit(
              () -> {
                waiting.add(Thread.currentThread());
                sent.countDown();
                return groupCommit.sendAndWait(
                    other, MetaData.emptyInstance(), 10, TimeUnit.SECONDS);
              }));
      sent.await();
    }
    // Every caller is parked on its group's outcome: queued behind the first group.
    awaitCondition(
        () -> waiting.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING));
    return results;
  }

  @Test
  void commandsSentWhileAGroupCommitsShareTheNextTransaction() throws Exception {
    List<Credit> others = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      others.add(new Credit("account-" + i, "c" + i, false));
    }
    List<Future<Object>> results = queueBehindFirst(others);
    assertThat(results.get(1).isDone()).as("answered before its group committed").isFalse();
    firstHandlerGate.countDown();

    assertThat(results.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("credited first");
    for (int i = 0; i < 10; i++) {
      assertThat(results.get(i + 1).get(10, TimeUnit.SECONDS)).isEqualTo("credited c" + i);
    }
    assertThat(transactions.committed).hasSize(2);
    assertThat(transactions.committed.get(0)).containsExactly("first");
    assertThat(transactions.committed.get(1))
        .containsExactlyInAnyOrder("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9");
    assertThat(handlerThreads).allMatch(name -> name.startsWith("ledgerline-group-commit-"));
    assertThat(meters.get("ledgerline.command.group.size").summary().count()).isEqualTo(2);
    assertThat(meters.get("ledgerline.command.group.size").summary().max()).isEqualTo(10);
  }

  @Test
  void nothingIsAnsweredBeforeTheGroupsTransactionHasCommitted() throws Exception {
    CountDownLatch commitGate = new CountDownLatch(1);
    transactions.commitGate = commitGate;
    Future<Object> result = send(new Credit("a", "c1", false));
    awaitCondition(() -> transactions.commitsStarted.get() == 1);
    assertThat(result.isDone()).isFalse();
    commitGate.countDown();
    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("credited c1");
    assertThat(transactions.committed).containsExactly(List.of("c1"));
  }

  @Test
  void aRefusalInAGroupLeavesEveryOtherCommandItsOwnOutcomeExactlyOnce() throws Exception {
    List<Future<Object>> results =
        queueBehindFirst(
            List.of(
                new Credit("a", "c1", false),
                new Credit("b", "refused", true),
                new Credit("c", "c2", false)));
    firstHandlerGate.countDown();

    assertThat(results.get(1).get(10, TimeUnit.SECONDS)).isEqualTo("credited c1");
    assertThat(results.get(3).get(10, TimeUnit.SECONDS)).isEqualTo("credited c2");
    assertThatThrownBy(() -> results.get(2).get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalArgumentException.class)
        .cause()
        .hasMessage("refused refused");
    // The group [c1, refused, c2] rolled back; the refused command was handled alone, on its
    // caller, and the two others formed a group again at once.
    assertThat(transactions.committed).hasSize(2);
    assertThat(transactions.committed.get(0)).containsExactly("first");
    assertThat(transactions.committed.get(1)).containsExactlyInAnyOrder("c1", "c2");
    assertThat(alone("refused")).isEqualTo(1);
    assertThat(alone("not_committed")).isZero();
  }

  @Test
  void aGroupWhoseAppendFailsBeforeItsCommitIsHandledCommandByCommandExactlyOnce()
      throws Exception {
    List<Future<Object>> results =
        queueBehindFirst(List.of(new Credit("a", "c1", false), new Credit("b", "c2", false)));
    // The second group's append fails (a lost append race): before its commit is sent.
    failGroupAppendOnce.set(true);
    firstHandlerGate.countDown();

    assertThat(results.get(1).get(10, TimeUnit.SECONDS)).isEqualTo("credited c1");
    assertThat(results.get(2).get(10, TimeUnit.SECONDS)).isEqualTo("credited c2");
    assertThat(transactions.committed)
        .containsExactlyInAnyOrder(List.of("first"), List.of("c1"), List.of("c2"));
    assertThat(alone("not_committed")).isEqualTo(2);
  }

  @Test
  void aCommitSentButFailedIsAnsweredWithItsFailureAndNeverRunAgain() throws Exception {
    List<Future<Object>> results =
        queueBehindFirst(List.of(new Credit("a", "c1", false), new Credit("b", "c2", false)));
    // The second group's commit is sent and fails: it may have committed (a lost connection).
    transactions.failCommitNumber = 2;
    firstHandlerGate.countDown();

    for (int i = 1; i <= 2; i++) {
      int caller = i;
      assertThatThrownBy(() -> results.get(caller).get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IllegalStateException.class)
          .cause()
          .hasMessage("commit failed");
    }
    assertThat(transactions.committed).containsExactly(List.of("first"));
    assertThat(handlerThreads).hasSize(3);
    assertThat(meters.get("ledgerline.command.group.unknown").counter().count()).isEqualTo(2);
  }

  @Test
  void aCommandNotMarkedForGroupCommitIsHandledOnItsCallersThread() throws Exception {
    AtomicReference<String> caller = new AtomicReference<>();
    Object result =
        callers
            .submit(
                () -> {
                  caller.set(Thread.currentThread().getName());
                  return groupCommit.sendAndWait(
                      new Freeze("a"), MetaData.emptyInstance(), 10, TimeUnit.SECONDS);
                })
            .get(10, TimeUnit.SECONDS);
    assertThat(result).isEqualTo("frozen");
    assertThat(handlerThreads).containsExactly(caller.get());
    assertThat(transactions.committed).containsExactly(List.of("freeze"));
  }

  @Test
  void afterStopCommandsAreStillHandledAlone() throws Exception {
    groupCommit.stop();
    assertThat(send(new Credit("a", "c1", false)).get(10, TimeUnit.SECONDS))
        .isEqualTo("credited c1");
    assertThat(handlerThreads).noneMatch(name -> name.startsWith("ledgerline-group-commit-"));
    assertThat(transactions.committed).containsExactly(List.of("c1"));
  }

  @Test
  void aMembersUnitOfWorkIsNestedInItsGroupsAndKnownAsAMember() throws Exception {
    SimpleCommandBus bus = SimpleCommandBus.builder().transactionManager(transactions).build();
    AtomicReference<Boolean> member = new AtomicReference<>();
    bus.subscribe(
        Credit.class.getName(),
        message -> {
          member.set(GroupCommit.isMember(CurrentUnitOfWork.get()));
          return null;
        });
    GroupCommit own = oneCommitter(bus, TRACES);
    own.start();
    try {
      own.sendAndWait(new Credit("a", "c1", false), MetaData.emptyInstance(), 10, TimeUnit.SECONDS);
      assertThat(member.get()).isTrue();
    } finally {
      own.stop();
    }
    own.sendAndWait(new Credit("a", "c2", false), MetaData.emptyInstance(), 10, TimeUnit.SECONDS);
    assertThat(member.get()).as("handled alone after stop").isFalse();
  }

  @Test
  void theCallersSpanGoesWithTheCommandToTheCommittersThread() throws Exception {
    RecordingTracing tracing = new RecordingTracing();
    SimpleCommandBus bus = SimpleCommandBus.builder().transactionManager(transactions).build();
    AtomicReference<Object> traceparent = new AtomicReference<>();
    bus.subscribe(
        Credit.class.getName(),
        message -> {
          traceparent.set(message.getMetaData().get(TraceMetadata.TRACEPARENT));
          return null;
        });
    GroupCommit own = oneCommitter(bus, tracing.metadata());
    own.start();
    var request = tracing.tracer().nextSpan().name("http post").start();
    try (var scope = tracing.tracer().withSpan(request)) {
      own.sendAndWait(new Credit("a", "c1", false), MetaData.emptyInstance(), 10, TimeUnit.SECONDS);
    } finally {
      request.end();
      own.stop();
    }
    assertThat(traceparent.get())
        .isEqualTo("00-" + request.context().traceId() + "-" + request.context().spanId() + "-01");
  }

  /** One committer thread: every command meets in it, so the groups are predictable. */
  private GroupCommit oneCommitter(SimpleCommandBus bus, TraceMetadata traces) {
    return new GroupCommit(
        bus,
        DefaultCommandGateway.builder().commandBus(bus).build(),
        transactions,
        traces,
        new RecordCommandTargets(),
        meters,
        1,
        64,
        1024);
  }

  private double alone(String reason) {
    return meters.get("ledgerline.command.group.alone").tag("reason", reason).counter().count();
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(1))
        .until(condition::getAsBoolean);
  }

  /**
   * Stages each command's effect in the thread's outermost transaction and keeps it only when that
   * transaction commits; a transaction started inside it takes part in it (Spring's REQUIRED).
   */
  static final class StagingTransactions implements TransactionManager {
    final List<List<String>> committed = new CopyOnWriteArrayList<>();
    final AtomicInteger commitsStarted = new AtomicInteger();
    volatile CountDownLatch commitGate = new CountDownLatch(0);
    volatile int failCommitNumber;
    private final ThreadLocal<List<String>> open = new ThreadLocal<>();

    void stage(String effect) {
      open.get().add(effect);
    }

    @Override
    public Transaction startTransaction() {
      if (open.get() != null) {
        return new Transaction() {
          @Override
          public void commit() {}

          @Override
          public void rollback() {}
        };
      }
      List<String> staged = new ArrayList<>();
      open.set(staged);
      return new Transaction() {
        @Override
        public void commit() {
          open.remove();
          int number = commitsStarted.incrementAndGet();
          try {
            commitGate.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          if (number == failCommitNumber) {
            throw new IllegalStateException("commit failed");
          }
          committed.add(List.copyOf(staged));
        }

        @Override
        public void rollback() {
          open.remove();
        }
      };
    }
  }
}
