package io.ledgerline.command.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.TransferDebited;
import io.ledgerline.events.TransferRequested;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.deadletter.DeadLetteringEventHandlerInvoker;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.deadletter.Cause;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.messaging.deadletter.InMemorySequencedDeadLetterQueue;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.SerializedMessage;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.kafka.KafkaException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Which failures park an event and which roll the batch back to be retried: a parked transient
 * failure would need an operator for nothing, a dropped one would lose a transfer's step.
 */
class DeadLetterPolicyTest {

  private final DeadLetterPolicy process = DeadLetterPolicy.parkingAllButTransient();
  private final DeadLetterPolicy publisher = DeadLetterPolicy.parkingOnlyUnpublishable();
  private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();

  @Test
  void theProcessParksWhatFailsTheSameWayEveryTime() {
    for (Throwable deterministic :
        List.of(
            undeserializable(),
            new IllegalArgumentException("amount must be positive"),
            new IllegalStateException("no such step"),
            new NoHandlerForCommandException("No handler was subscribed for command [Unknown]"),
            new AggregateNotFoundException("account-1", "The aggregate was not found"))) {
      EnqueueDecision<EventMessage<?>> decision = process.decide(letter(), deterministic);

      assertThat(decision.shouldEnqueue()).as(deterministic.toString()).isTrue();
      assertThat(decision.enqueueCause())
          .get()
          .extracting(cause -> ((Cause) cause).type())
          .isEqualTo(deterministic.getClass().getName());
      assertThat(DeadLetterPolicy.attempts(decision.withDiagnostics(letter()))).isEqualTo(1);
    }
  }

  @Test
  void theProcessRetriesWhatALaterAttemptCanCure() {
    for (RuntimeException transientFailure :
        List.of(
            new CannotCreateTransactionException("Could not open JDBC Connection for transaction"),
            new DataAccessResourceFailureException("Connection refused"),
            new QueryTimeoutException("canceling statement due to statement timeout"),
            new ConcurrencyException("An event for aggregate [account-1] was already inserted"),
            new EventStoreException(
                "An event could not be stored", new SQLException("connection lost", "08006")),
            new JdbcException(
                "Failed to obtain a database connection",
                new SQLTransientConnectionException("Connection is not available")))) {
      // Thrown on, never "not enqueued": Axon would drop the event silently.
      assertThatThrownBy(() -> process.decide(letter(), transientFailure))
          .isSameAs(transientFailure);
    }
  }

  @Test
  void aCheckedTransientFailureIsRetriedToo() {
    TimeoutException timeout = new TimeoutException("no answer within 10 s");

    assertThatThrownBy(() -> process.decide(letter(), timeout))
        .isInstanceOf(DeadLetterPolicy.RetriedFailureException.class)
        .hasCause(timeout);
  }

  @Test
  void thePublisherParksOnlyWhatCanNeverBePublished() {
    for (Throwable unpublishable :
        List.of(
            undeserializable(),
            new KafkaException(
                "Send failed", new RecordTooLargeException("The message is 2000000 bytes")))) {
      assertThat(publisher.decide(letter(), unpublishable).shouldEnqueue())
          .as(unpublishable.toString())
          .isTrue();
    }
  }

  @Test
  void thePublisherNeverParksAKafkaOutageOrAnythingElse() {
    for (RuntimeException retried :
        List.of(
            new KafkaException(
                "Send failed",
                new org.apache.kafka.common.errors.TimeoutException(
                    "Topic ledger-events not present in metadata after 60000 ms")),
            new CannotCreateTransactionException("Could not open JDBC Connection"),
            new IllegalStateException("unexpected"))) {
      assertThatThrownBy(() -> publisher.decide(letter(), retried)).isSameAs(retried);
    }
  }

  @Test
  void aFailedRetryKeepsTheLetterParkedAndCountsTheAttempt() {
    DeadLetter<EventMessage<?>> parked =
        letter().withDiagnostics(MetaData.with(DeadLetterPolicy.ATTEMPTS, 1));
    // How Axon processes a parked letter: in a unit of work of its own that holds the letter.
    UnitOfWork<?> retry = DefaultUnitOfWork.startAndGet(parked.message());
    retry.resources().put(DeadLetter.class.getName(), parked);
    try {
      RuntimeException stillDown = new CannotCreateTransactionException("still down");
      EnqueueDecision<EventMessage<?>> decision = process.decide(parked, stillDown);

      assertThat(decision.shouldEnqueue()).isTrue();
      assertThat(DeadLetterPolicy.attempts(decision.withDiagnostics(parked))).isEqualTo(2);
      // The failure itself: Axon's JDBC letter records the type of whatever cause it is given.
      assertThat(decision.enqueueCause()).containsSame(stillDown);
    } finally {
      retry.rollback();
    }
  }

  @Test
  void inAxonsInvokerOnlyTheDeterministicFailureParksAndOnlyItsTransferWaits() throws Exception {
    FailingProcess handler = new FailingProcess();
    InMemorySequencedDeadLetterQueue<EventMessage<?>> queue =
        InMemorySequencedDeadLetterQueue.defaultQueue();
    DeadLetteringEventHandlerInvoker invoker =
        DeadLetteringEventHandlerInvoker.builder()
            .eventHandlers(handler)
            .sequencingPolicy(new TransferSequencingPolicy())
            .queue(queue)
            .enqueuePolicy(process)
            .transactionManager(NoTransactionManager.INSTANCE)
            .build();

    handler.failure = new CannotCreateTransactionException("database down");
    assertThatThrownBy(() -> invoker.handle(requested("t-1"), Segment.ROOT_SEGMENT))
        .isSameAs(handler.failure);
    assertThat(queue.size()).isZero();

    handler.failure = new IllegalStateException("never handled");
    invoker.handle(requested("t-1"), Segment.ROOT_SEGMENT);
    assertThat(queue.contains("t-1")).isTrue();

    handler.failure = null;
    invoker.handle(requested("t-2"), Segment.ROOT_SEGMENT);
    invoker.handle(
        new GenericDomainEventMessage<>(
            "Account", "a", 1, new TransferDebited("a", "t-1", 5, "EUR", 0, "b")),
        Segment.ROOT_SEGMENT);
    assertThat(handler.handled).containsExactly("t-2");
    assertThat(queue.sequenceSize("t-1")).isEqualTo(2);

    // A retry that fails again keeps the sequence parked and counts the attempt.
    handler.failure = new CannotCreateTransactionException("database down again");
    assertThat(invoker.processAny()).isFalse();
    assertThat(queue.sequenceSize("t-1")).isEqualTo(2);
    assertThat(DeadLetterPolicy.attempts(queue.deadLetterSequence("t-1").iterator().next()))
        .isEqualTo(2);

    handler.failure = null;
    assertThat(invoker.processAny()).isTrue();
    assertThat(queue.size()).isZero();
    assertThat(handler.handled).containsExactly("t-2", "t-1", "t-1");
  }

  @Test
  void theTransferProcessIsSequencedPerTransfer() {
    TransferSequencingPolicy sequencing = new TransferSequencingPolicy();

    assertThat(
            sequencing.getSequenceIdentifierFor(
                new GenericDomainEventMessage<>(
                    "Transfer", "t-1", 0, new TransferRequested("t-1", "a", "b", 5, "EUR", null))))
        .isEqualTo("t-1");
    assertThat(
            sequencing.getSequenceIdentifierFor(
                new GenericDomainEventMessage<>(
                    "Account", "a", 3, new TransferDebited("a", "t-1", 5, "EUR", 0, "b"))))
        .isEqualTo("t-1");
    assertThat(
            sequencing.getSequenceIdentifierFor(
                new GenericDomainEventMessage<>(
                    "Account", "a", 0, new AccountOpened("a", "owner", "EUR", 0))))
        .isEqualTo("a");
  }

  @Test
  void anEventThatDoesNotDeserializeIsSequencedByItsAggregateAndParked() {
    EventMessage<?> poison = storedTransferRequested("t-9", "{\"transferId\":");
    Throwable failure = catchThrowable(poison::getPayload);

    assertThat(failure).isInstanceOf(SerializationException.class);
    assertThat(new TransferSequencingPolicy().getSequenceIdentifierFor(poison)).isEqualTo("t-9");
    assertThat(
            process
                .decide(new GenericDeadLetter<>("t-9", poison, failure), failure)
                .shouldEnqueue())
        .isTrue();
  }

  @Test
  void attemptsAreReadBackFromTheStoredDiagnostics() {
    byte[] stored =
        serializer.serialize(MetaData.with(DeadLetterPolicy.ATTEMPTS, 3), byte[].class).getData();

    assertThat(DeadLetters.attempts(stored)).isEqualTo(3);
    assertThat(DeadLetters.attempts(null)).isZero();
    assertThat(DeadLetters.attempts("not json".getBytes(StandardCharsets.UTF_8))).isZero();
  }

  @Test
  void aParkedReasonNamesTheFailure() {
    assertThat(
            new DeadLetters.Parked(
                    AggregateNotFoundException.class.getName(),
                    "The aggregate was not found",
                    Instant.now())
                .reason())
        .isEqualTo("AggregateNotFoundException: The aggregate was not found");
  }

  /** The transfer process's handlers in miniature: each fails while a failure is set. */
  static final class FailingProcess {
    RuntimeException failure;
    final List<String> handled = new ArrayList<>();

    @EventHandler
    void on(TransferRequested event) {
      handle(event.transferId());
    }

    @EventHandler
    void on(TransferDebited event) {
      handle(event.transferId());
    }

    private void handle(String transferId) {
      if (failure != null) {
        throw failure;
      }
      handled.add(transferId);
    }
  }

  private static EventMessage<?> requested(String transferId) {
    return new GenericDomainEventMessage<>(
        "Transfer", transferId, 0, new TransferRequested(transferId, "a", "b", 5, "EUR", null));
  }

  private static DeadLetter<EventMessage<?>> letter() {
    EventMessage<?> event =
        new GenericDomainEventMessage<>(
            "Transfer", "t-1", 0, new TransferRequested("t-1", "a", "b", 5, "EUR", null));
    return new GenericDeadLetter<>("t-1", event);
  }

  /** What reading a stored event with a malformed payload throws. */
  private Throwable undeserializable() {
    return catchThrowable(() -> storedTransferRequested("t-2", "{").getPayload());
  }

  /** A TransferRequested as read from the store: its payload deserializes only when used. */
  private EventMessage<?> storedTransferRequested(String transferId, String json) {
    SerializedMessage<Object> stored =
        new SerializedMessage<>(
            "event-" + transferId,
            new SimpleSerializedObject<>(
                json.getBytes(StandardCharsets.UTF_8),
                byte[].class,
                TransferRequested.class.getName(),
                null),
            serializer.serialize(MetaData.emptyInstance(), byte[].class),
            serializer);
    return new GenericDomainEventMessage<>("Transfer", transferId, 0, stored, Instant.now());
  }
}
