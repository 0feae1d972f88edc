package io.ledgerline.command.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Group commit: concurrent API commands ({@link GroupCommitted}) share one database transaction, as
 * KurrentDB's writer and Marten's quick append do. Under load most of an append's cost is not the
 * insert but its round trips (the insert, the commit) and PostgreSQL's per-transaction work (the
 * commit record and its flush); a group of n commands pays them once: its events go in one JDBC
 * batch and one commit.
 *
 * <p>Nothing is acknowledged before that commit: each caller waits until its group has committed,
 * then gets its own handler's result. A group never turns one command's failure into another's: if
 * any command of the group fails (a refusal, a lost append race, a stale version) or the commit
 * fails, the whole group is rolled back and every command in it is handled again on its caller's
 * thread, alone, exactly as without group commit. So a command's outcome is always the one it would
 * have had on its own, the group only decides how many commands one transaction carries.
 *
 * <p>Each command runs in a unit of work nested in the group's ({@link #isMember}): it loads the
 * account (the group's commands on one account see each other's events, in order), decides, and its
 * events join the group's queue; Axon appends that queue when the group commits. Commands are
 * grouped by account over {@code ledgerline.api.group-commit.committers} threads, so one account's
 * commands always meet in the same thread and two groups never wait for each other's account lock.
 * A group takes what has queued while the previous one committed, up to {@code max-batch}: at low
 * load a group is one command (no waiting is ever added), under load it grows by itself.
 */
@Component
public class GroupCommit implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  /** The group's unit-of-work resource that marks its members. */
  private static final String GROUP = GroupCommit.class.getName() + ".group";

  private static final ClassValue<Boolean> GROUPED =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          return type.isAnnotationPresent(GroupCommitted.class);
        }
      };

  private final CommandBus commandBus;
  private final CommandGateway gateway;
  private final TransactionManager transactions;
  private final TraceMetadata traces;
  private final CommandTargetResolver targets;
  private final int maxBatch;
  private final List<Committer> committers = new ArrayList<>();
  private final DistributionSummary groupSizes;
  private final Counter rerunAfterRefusal;
  private final Counter rerunNotCommitted;
  private final Counter commitsUnknown;
  private final Counter aloneWhenFull;
  private volatile boolean running;

  GroupCommit(
      CommandBus commandBus,
      CommandGateway gateway,
      TransactionManager transactions,
      TraceMetadata traces,
      CommandTargetResolver targets,
      MeterRegistry meters,
      @Value("${ledgerline.api.group-commit.committers:2}") int committers,
      @Value("${ledgerline.api.group-commit.max-batch:64}") int maxBatch,
      @Value("${ledgerline.api.group-commit.queue-capacity:1024}") int queueCapacity) {
    if (committers < 0 || maxBatch < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException(
          "ledgerline.api.group-commit: committers must be 0 (off) or more, max-batch and"
              + " queue-capacity at least 1");
    }
    this.commandBus = commandBus;
    this.gateway = gateway;
    this.transactions = transactions;
    this.traces = traces;
    this.targets = targets;
    this.maxBatch = maxBatch;
    for (int i = 0; i < committers; i++) {
      this.committers.add(new Committer(i, queueCapacity));
    }
    this.groupSizes =
        DistributionSummary.builder("ledgerline.command.group.size")
            .description("Commands committed in one transaction by group commit")
            .baseUnit("commands")
            .register(meters);
    this.rerunAfterRefusal = reruns(meters, "refused");
    this.rerunNotCommitted = reruns(meters, "not_committed");
    this.commitsUnknown =
        Counter.builder("ledgerline.command.group.unknown")
            .description(
                "Commands whose group's commit was sent but failed (the connection lost): answered"
                    + " with the failure, never handled again")
            .baseUnit("commands")
            .register(meters);
    this.aloneWhenFull = reruns(meters, "queue_full");
  }

  private static Counter reruns(MeterRegistry meters, String reason) {
    return Counter.builder("ledgerline.command.group.alone")
        .description(
            "Commands handled alone after all: refused in a group (refused), in a group that"
                + " failed before its commit (not_committed), or sent while the queue was full")
        .tag("reason", reason)
        .baseUnit("commands")
        .register(meters);
  }

  /**
   * Whether {@code unitOfWork} is one command of a group: its events commit, or roll back, with the
   * group's transaction, after its handler has returned; a rolled-back group's commands are each
   * handled again alone, so a member's rollback is not its command's outcome.
   */
  public static boolean isMember(UnitOfWork<?> unitOfWork) {
    return unitOfWork.parent().map(parent -> parent.resources().containsKey(GROUP)).orElse(false);
  }

  /**
   * As {@link CommandGateway#sendAndWait(Object, MetaData, long, TimeUnit)}: the handler's result,
   * or its exception; a {@link GroupCommitted} command is committed with others sent meanwhile.
   */
  public Object sendAndWait(Object command, MetaData metadata, long timeout, TimeUnit unit) {
    if (!running || committers.isEmpty() || !GROUPED.get(command.getClass())) {
      return gateway.sendAndWait(command, metadata, timeout, unit);
    }
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    // Built here, where no unit of work runs: the committer's group must not lend it metadata. The
    // request's span goes along in the metadata, as the committer's thread has no current span.
    MetaData traced =
        metadata.containsKey(TraceMetadata.TRACEPARENT)
            ? metadata
            : metadata.mergedWith(traces.ofCurrentSpan());
    Member member = new Member(GenericCommandMessage.asCommandMessage(command).andMetaData(traced));
    Committer committer =
        committers.get(Math.floorMod(targetOf(member.message).hashCode(), committers.size()));
    if (!committer.alive() || !committer.queue.offer(member)) {
      aloneWhenFull.increment();
      return gateway.sendAndWait(command, metadata, timeout, unit);
    }
    if (!running && member.abandon()) {
      // Stopped meanwhile: no committer may take it any more.
      return gateway.sendAndWait(command, metadata, timeout, unit);
    }
    CommandResultMessage<?> result;
    try {
      result = member.outcome.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // As the gateway: stop waiting. Not started yet, it never will; else it ends on its own.
      member.abandon();
      throw new CommandExecutionException("An exception occurred while executing a command", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      member.abandon();
      throw new CommandExecutionException("An exception occurred while executing a command", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("group commit failed unexpectedly", e.getCause());
    }
    if (result == null) {
      // Handed back: decided again alone, with the time left.
      return gateway.sendAndWait(
          command, metadata, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    if (result.isExceptional()) {
      throw asRuntime(result.exceptionResult());
    }
    return result.getPayload();
  }

  // The account: one account's commands always meet in one committer.
  private Object targetOf(CommandMessage<?> message) {
    try {
      return targets.resolveTarget(message).getIdentifier();
    } catch (RuntimeException noTarget) {
      return message.getIdentifier();
    }
  }

  // As DefaultCommandGateway: an unchecked failure as is, a checked one wrapped.
  private static RuntimeException asRuntime(Throwable failure) {
    if (failure instanceof Error error) {
      throw error;
    }
    if (failure instanceof RuntimeException unchecked) {
      return unchecked;
    }
    return new CommandExecutionException(
        "An exception occurred while executing a command", failure);
  }

  /**
   * Handles {@code members} in one transaction (those not abandoned by their callers meanwhile).
   */
  void commit(List<Member> members) {
    List<Member> taken = new ArrayList<>(members.size());
    for (Member member : members) {
      if (member.take()) {
        taken.add(member);
      }
    }
    if (!taken.isEmpty()) {
      commitTaken(taken, true);
    }
  }

  /**
   * Handles {@code taken} in one transaction and answers each: its result once committed. A refused
   * command is handed back to be handled alone and, if {@code retry}, the others form a group again
   * at once (so one refusal does not cost its neighbours their group); a group whose append fails
   * before its commit is handed back whole. A commit that was sent but failed has an unknown
   * outcome: each command is answered with that failure, as it would be alone, and never run again
   * here.
   */
  private void commitTaken(List<Member> taken, boolean retry) {
    // Registered first, so it runs last in the commit phase: after the transaction's commit.
    AtomicBoolean committed = new AtomicBoolean();
    AtomicBoolean commitSent = new AtomicBoolean();
    Member refusedMember = null;
    Throwable failure = null;
    UnitOfWork<?> group =
        DefaultUnitOfWork.startAndGet(
            new GenericMessage<>("group commit of " + taken.size() + " commands"));
    try {
      group.resources().put(GROUP, Boolean.TRUE);
      group.onCommit(u -> committed.set(true));
      Transaction transaction = transactions.startTransaction();
      group.onCommit(
          u -> {
            commitSent.set(true);
            transaction.commit();
          });
      group.onRollback(u -> transaction.rollback());
      for (Member member : taken) {
        member.result = null;
        commandBus.dispatch(member.message, (command, result) -> member.result = result);
        if (member.result == null || member.result.isExceptional()) {
          refusedMember = member;
          failure =
              member.result == null
                  ? new IllegalStateException("the command bus answered asynchronously")
                  : member.result.exceptionResult();
          break;
        }
      }
      if (refusedMember != null) {
        group.rollback(failure);
      } else {
        group.commit();
      }
    } catch (RuntimeException | Error failed) {
      failure = failed;
    } finally {
      endIfStillCurrent(group);
    }
    if (committed.get()) {
      // Whatever failed after the transaction's commit, the results stand; the failure is logged.
      if (failure != null) {
        log.warn(
            "a group of {} commands committed, then failed: its results stand",
            taken.size(),
            failure);
      }
      groupSizes.record(taken.size());
      taken.forEach(member -> member.outcome.complete(member.result));
    } else if (commitSent.get()) {
      log.warn(
          "the commit of a group of {} commands failed, its outcome is unknown: each is answered"
              + " with the failure",
          taken.size(),
          failure);
      commitsUnknown.increment(taken.size());
      CommandResultMessage<?> unknown = GenericCommandResultMessage.asCommandResultMessage(failure);
      taken.forEach(member -> member.outcome.complete(unknown));
    } else if (refusedMember != null) {
      rerunAfterRefusal.increment();
      refusedMember.outcome.complete(null);
      List<Member> others = new ArrayList<>(taken);
      others.remove(refusedMember);
      if (retry && !others.isEmpty()) {
        commitTaken(others, false);
      } else {
        rerunNotCommitted.increment(others.size());
        others.forEach(member -> member.outcome.complete(null));
      }
    } else {
      log.debug("group of {} commands not committed; each is handled alone", taken.size(), failure);
      rerunNotCommitted.increment(taken.size());
      taken.forEach(member -> member.outcome.complete(null));
    }
  }

  // A commit or rollback that failed half-way may leave the group current on this thread.
  private static void endIfStillCurrent(UnitOfWork<?> group) {
    while (CurrentUnitOfWork.isStarted()) {
      UnitOfWork<?> current = CurrentUnitOfWork.get();
      if (current.isActive() && current.phase().isBefore(UnitOfWork.Phase.ROLLBACK)) {
        current.rollback();
      } else {
        CurrentUnitOfWork.clear(current);
      }
      if (current == group) {
        return;
      }
    }
  }

  @Override
  public void start() {
    running = true;
    for (Committer committer : committers) {
      committer.start();
    }
  }

  @Override
  public void stop() {
    // Not interrupted: a committer may be inside a JDBC call. It sees the flag within 100 ms.
    running = false;
    for (Committer committer : committers) {
      try {
        committer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Starts before the web server and stops after it (a lower phase): requests have drained. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 4096;
  }

  /** One command waiting for its group. */
  static final class Member {
    private static final int QUEUED = 0;
    private static final int TAKEN = 1;
    private static final int ABANDONED = 2;

    final CommandMessage<?> message;
    final CompletableFuture<CommandResultMessage<?>> outcome = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    // Written and read by the committer thread only.
    CommandResultMessage<?> result;

    Member(CommandMessage<?> message) {
      this.message = message;
    }

    boolean take() {
      return state.compareAndSet(QUEUED, TAKEN);
    }

    boolean abandon() {
      return state.compareAndSet(QUEUED, ABANDONED);
    }
  }

  private final class Committer implements Runnable {
    final BlockingQueue<Member> queue;
    private final String name;
    private volatile Thread thread;

    Committer(int index, int capacity) {
      this.queue = new ArrayBlockingQueue<>(capacity);
      this.name = "ledgerline-group-commit-" + index;
    }

    void start() {
      Thread started = new Thread(this, name);
      started.setDaemon(true);
      thread = started;
      started.start();
    }

    void join() throws InterruptedException {
      Thread running = thread;
      if (running != null) {
        running.join(TimeUnit.SECONDS.toMillis(30));
      }
    }

    boolean alive() {
      Thread running = thread;
      return running != null && running.isAlive();
    }

    @Override
    public void run() {
      List<Member> group = new ArrayList<>(maxBatch);
      while (running) {
        try {
          Member first = queue.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          group.add(first);
          queue.drainTo(group, maxBatch - 1);
          commit(group);
        } catch (InterruptedException stray) {
          // Only stop() ends this loop, by its flag: an interrupt is cleared and ignored.
        } catch (Throwable unexpected) {
          log.error("group commit failed; its commands are handled alone", unexpected);
          group.forEach(member -> member.outcome.complete(null));
        } finally {
          group.clear();
          Thread.interrupted();
        }
      }
      // Stopped: whatever still waits is handled alone by its caller.
      queue.drainTo(group);
      group.forEach(member -> member.outcome.complete(null));
    }
  }
}
