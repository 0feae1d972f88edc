package io.ledgerline.command.transfer;

import static io.ledgerline.command.personaldata.SealedTexts.sealed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerline.command.transfer.TransferCommands.CompleteTransfer;
import io.ledgerline.command.transfer.TransferCommands.FailTransfer;
import io.ledgerline.command.transfer.TransferCommands.RequestTransfer;
import io.ledgerline.events.TransferEvent;
import io.ledgerline.events.TransferFailed;
import io.ledgerline.events.fold.TransferState;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.Aggregate;

/**
 * The shared fold ({@link TransferState}) against the {@link Transfer} aggregate's own
 * event-sourcing handlers, on histories the aggregate itself writes from random outcomes, repeated
 * and conflicting ones included. After each command, the transfer loaded from its events and the
 * fold of the same events agree; on failure the history is printed.
 */
class TransferFoldProperties {

  private static final String ID = "t-1";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Provide
  Arbitrary<List<Object>> outcomes() {
    Arbitrary<Object> outcome =
        Arbitraries.oneOf(
            Arbitraries.just(new CompleteTransfer(ID)),
            Arbitraries.of(
                    "insufficient funds",
                    "source account is frozen",
                    "destination account is closed",
                    "destination account is in USD, not EUR",
                    "something else")
                .map(reason -> new FailTransfer(ID, reason)),
            Arbitraries.just(new RequestTransfer(ID, "acc-9", "acc-8", 1, "EUR", sealed("again"))));
    return outcome.list().ofMaxSize(6);
  }

  @Property(tries = 100)
  void theAggregateAndTheSharedFoldAgreeAfterEveryCommand(
      @ForAll("outcomes") List<Object> commands,
      @ForAll("amounts") long amount,
      @ForAll boolean withReference) {
    Configuration axon =
        DefaultConfigurer.defaultConfiguration()
            .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
            .configureAggregate(Transfer.class)
            .buildConfiguration();
    axon.start();
    try {
      send(
          axon,
          new RequestTransfer(
              ID, "acc-1", "acc-2", amount, "EUR", withReference ? sealed("inv") : null));
      check(axon);
      for (Object command : commands) {
        send(axon, command);
        check(axon);
      }
    } finally {
      axon.shutdown();
    }
  }

  @Provide
  Arbitrary<Long> amounts() {
    return Arbitraries.longs().between(1, 1_000_000);
  }

  /** What both hold: the aggregate's fields (the view its snapshots store), and the fold's. */
  record Observed(String transferId, String status, long version) {}

  private static void check(Configuration axon) {
    List<DomainEventMessage<?>> history = new ArrayList<>();
    axon.eventStore().readEvents(ID).forEachRemaining(history::add);
    TransferState folded = null;
    for (DomainEventMessage<?> message : history) {
      folded =
          TransferState.fold(
              folded, (TransferEvent) message.getPayload(), message.getSequenceNumber());
    }
    List<Object> payloads = history.stream().map(m -> (Object) m.getPayload()).toList();
    assertThat(folded).as("the fold of %s", payloads).isNotNull();
    if (history.get(history.size() - 1).getPayload() instanceof TransferFailed failed) {
      assertThat(folded.failureCode()).isEqualTo(failed.failureCode());
      assertThat(folded.reason()).isEqualTo(failed.reason());
    }

    DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
    try {
      Aggregate<Transfer> transfer = axon.repository(Transfer.class).load(ID);
      JsonNode fields = transfer.invoke(root -> JSON.valueToTree(root));
      Observed aggregate =
          new Observed(
              fields.get("transferId").asText(), fields.get("status").asText(), transfer.version());
      Observed fold = new Observed(folded.transferId(), folded.status().name(), folded.version());

      assertThat(aggregate).as("the aggregate and the fold after %s", payloads).isEqualTo(fold);
    } finally {
      unitOfWork.rollback();
    }
  }

  /** The transfer's steps refuse nothing: a step out of order is a no-op, never an exception. */
  private static void send(Configuration axon, Object command) {
    axon.commandGateway().sendAndWait(command);
  }
}
