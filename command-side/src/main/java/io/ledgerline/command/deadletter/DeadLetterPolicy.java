package io.ledgerline.command.deadletter;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.lifecycle.ShutdownInProgressException;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.ThrowableCause;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.SerializationException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.TransactionTimedOutException;

/**
 * Decides which failures of an event handler park the event in its processor's dead-letter queue,
 * and which roll the processor's batch back so that it is retried.
 *
 * <p>Axon's dead-lettering invoker drops an event, silently, when its policy decides not to enqueue
 * it. A failure that a later attempt can cure (the database, a transaction, a lock, a timeout) must
 * never be dropped, so for those this policy throws the failure on instead: the batch rolls back
 * and the processor retries it with back-off, exactly as without a dead-letter queue. Only a
 * failure that would recur on every attempt parks the event, with its cause and a count of failed
 * attempts. A failed retry of a parked letter always leaves it parked.
 */
final class DeadLetterPolicy implements EnqueuePolicy<EventMessage<?>> {

  /** The diagnostics entry counting the failed attempts to handle a letter. */
  static final String ATTEMPTS = "attempts";

  // Cause chains are short; the bound only guards against a chain that loops.
  private static final int MAX_CAUSE_DEPTH = 32;

  // Failures that a later attempt can cure.
  private static final List<Class<? extends Throwable>> TRANSIENT =
      List.of(
          // Any failed statement aborts the PostgreSQL transaction: no letter can be stored in it.
          SQLException.class,
          TransientDataAccessException.class,
          RecoverableDataAccessException.class,
          DataAccessResourceFailureException.class,
          CannotCreateTransactionException.class,
          TransactionTimedOutException.class,
          TransactionSystemException.class,
          ConcurrencyException.class,
          JdbcException.class,
          LockAcquisitionFailedException.class,
          TimeoutException.class,
          SocketException.class,
          SocketTimeoutException.class,
          InterruptedException.class,
          RetriableException.class,
          // This instance is shutting down: another one, or this one restarted, handles the event.
          ShutdownInProgressException.class,
          RejectedExecutionException.class);

  // What can never be published, however often it is tried.
  private static final List<Class<? extends Throwable>> UNPUBLISHABLE =
      List.of(
          // Axon's: the stored event does not deserialize, or its payload does not serialize.
          SerializationException.class,
          org.apache.kafka.common.errors.SerializationException.class,
          RecordTooLargeException.class);

  private final Predicate<Throwable> parks;

  private DeadLetterPolicy(Predicate<Throwable> parks) {
    this.parks = parks;
  }

  /**
   * For a process that sends commands: parks the event on every failure but a transient one (a
   * payload that does not deserialize, an unknown command, a rule that a handler refuses on).
   */
  static DeadLetterPolicy parkingAllButTransient() {
    return new DeadLetterPolicy(failure -> !causedByAny(failure, TRANSIENT));
  }

  /**
   * For the Kafka publisher: parks only an event that can never be published (it does not
   * deserialize or serialize, or Kafka refuses the record as too large). Everything else, a Kafka
   * outage above all, is retried.
   */
  static DeadLetterPolicy parkingOnlyUnpublishable() {
    return new DeadLetterPolicy(
        failure -> !causedByAny(failure, TRANSIENT) && causedByAny(failure, UNPUBLISHABLE));
  }

  @Override
  public EnqueueDecision<EventMessage<?>> decide(
      DeadLetter<? extends EventMessage<?>> letter, Throwable cause) {
    if (isRetryOfParkedLetter()) {
      // Whatever failed this time, the letter stays parked, with the latest cause. Axon's JDBC
      // letter wraps the cause it is given, so it gets the failure itself to record its type.
      return Decisions.requeue(cause, DeadLetterPolicy::withFailedAttempt);
    }
    if (!parks.test(cause)) {
      throw propagated(cause);
    }
    return Decisions.enqueue(ThrowableCause.truncated(cause), DeadLetterPolicy::withFailedAttempt);
  }

  /** How many attempts to handle the letter failed: 0 for one parked behind another. */
  static int attempts(DeadLetter<?> letter) {
    return letter.diagnostics().get(ATTEMPTS) instanceof Number attempts ? attempts.intValue() : 0;
  }

  private static MetaData withFailedAttempt(DeadLetter<?> letter) {
    return letter.diagnostics().and(ATTEMPTS, attempts(letter) + 1);
  }

  /**
   * Whether a parked letter is being processed again: Axon runs that in a unit of work of its own
   * that holds the letter, while a processor handles live events in a batch that never does.
   */
  private static boolean isRetryOfParkedLetter() {
    return CurrentUnitOfWork.isStarted()
        && CurrentUnitOfWork.get().resources().containsKey(DeadLetter.class.getName());
  }

  static boolean causedByAny(Throwable failure, List<Class<? extends Throwable>> types) {
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < MAX_CAUSE_DEPTH; depth++) {
      for (Class<? extends Throwable> type : types) {
        if (type.isInstance(cause)) {
          return true;
        }
      }
      cause = cause.getCause();
    }
    return false;
  }

  private static RuntimeException propagated(Throwable cause) {
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new RetriedFailureException(cause);
  }

  /** A checked failure that a retry can cure, carried out so that the batch is retried. */
  static final class RetriedFailureException extends RuntimeException {

    RetriedFailureException(Throwable cause) {
      super("event handling failed and is retried: " + cause, cause);
    }
  }
}
