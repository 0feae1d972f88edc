package io.ledgerline.command.topup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerline.command.topup.TopUpCommands.FailTopUp;
import io.ledgerline.command.topup.TopUpCommands.RecordTopUpIntent;
import io.ledgerline.command.topup.TopUpCommands.RequestTopUp;
import io.ledgerline.command.topup.TopUpCommands.SucceedTopUp;
import io.ledgerline.events.TopUpEvent;
import io.ledgerline.events.fold.TopUpState;
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
 * The shared fold ({@link TopUpState}) against the {@link TopUp} aggregate, on histories the
 * aggregate itself writes from the gateway's reports in random order, repeated, conflicting and
 * mismatched ones included. After each command, the top-up loaded from its events and the fold of
 * the same events agree.
 */
class TopUpFoldProperties {

  private static final String ID = "5c0e1b7a-3d2f-4e8a-9b6c-1d2e3f4a5b6c";
  private static final long AMOUNT = 5_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Provide
  Arbitrary<List<Object>> reports() {
    Arbitrary<String> intents = Arbitraries.of("pi_1", "pi_2");
    Arbitrary<Object> report =
        Arbitraries.oneOf(
            intents.map(intent -> new RecordTopUpIntent(ID, intent)),
            intents.map(intent -> new SucceedTopUp(ID, intent, "acc-1", AMOUNT, "EUR")),
            intents.map(intent -> new SucceedTopUp(ID, intent, null, AMOUNT - 1, "EUR")),
            intents.map(intent -> new FailTopUp(ID, intent, "generic_decline")),
            Arbitraries.just(new FailTopUp(ID, null, "intent_refused")));
    return report.list().ofMaxSize(8);
  }

  @Property(tries = 200)
  void theAggregateAndTheSharedFoldAgreeAfterEveryCommand(@ForAll("reports") List<Object> reports) {
    Configuration axon =
        DefaultConfigurer.defaultConfiguration()
            .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
            .configureAggregate(TopUp.class)
            .buildConfiguration();
    axon.start();
    try {
      axon.commandGateway().sendAndWait(new RequestTopUp(ID, "acc-1", AMOUNT, "EUR"));
      check(axon);
      for (Object report : reports) {
        try {
          axon.commandGateway().sendAndWait(report);
        } catch (IllegalStateException secondIntent) {
          // A second intent is refused, and records nothing: checked below like any other.
        }
        check(axon);
      }
    } finally {
      axon.shutdown();
    }
  }

  /**
   * What both hold: the aggregate's fields (the view its snapshots would store), and the fold's.
   */
  record Observed(String topUpId, String status, String intentId, long version) {}

  private static void check(Configuration axon) {
    List<DomainEventMessage<?>> history = new ArrayList<>();
    axon.eventStore().readEvents(ID).forEachRemaining(history::add);
    TopUpState folded = null;
    for (DomainEventMessage<?> message : history) {
      folded =
          TopUpState.fold(folded, (TopUpEvent) message.getPayload(), message.getSequenceNumber());
    }
    List<Object> payloads = history.stream().map(m -> (Object) m.getPayload()).toList();
    assertThat(folded).as("the fold of %s", payloads).isNotNull();
    assertThat(payloads.stream().filter(io.ledgerline.events.TopUpSucceeded.class::isInstance))
        .as("successes in %s", payloads)
        .hasSizeLessThanOrEqualTo(1);

    DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
    try {
      Aggregate<TopUp> topUp = axon.repository(TopUp.class).load(ID);
      JsonNode fields = topUp.invoke(root -> JSON.valueToTree(root));
      Observed aggregate =
          new Observed(
              fields.get("topUpId").asText(),
              fields.get("status").asText(),
              fields.get("intentId").isNull() ? null : fields.get("intentId").asText(),
              topUp.version());
      Observed fold =
          new Observed(
              folded.topUpId(), folded.status().name(), folded.intentId(), folded.version());

      assertThat(aggregate).as("the aggregate and the fold after %s", payloads).isEqualTo(fold);
    } finally {
      unitOfWork.rollback();
    }
  }
}
