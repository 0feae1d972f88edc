package io.ledgerline.command.topup;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.command.gateway.GatewayEvent;
import io.ledgerline.command.gateway.PaymentGateway;
import io.ledgerline.command.gateway.PaymentIntent;
import io.ledgerline.command.topup.IgnoredGatewayEvents.Reason;
import io.ledgerline.command.topup.TopUpCommands.RecordTopUpIntent;
import io.ledgerline.command.topup.TopUpCommands.RequestTopUp;
import io.ledgerline.events.TopUpFailed;
import io.ledgerline.events.TopUpIntentCreated;
import io.ledgerline.events.TopUpRequested;
import io.ledgerline.events.TopUpSucceeded;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's payment events mapped onto a real {@link TopUp} (Axon's in-memory store): each
 * outcome recorded once, whatever is repeated or reordered, and events no top-up can take kept
 * aside and answered, never thrown back at the gateway.
 */
class TopUpGatewayListenerTest {

  private static final String ID = "5c0e1b7a-3d2f-4e8a-9b6c-1d2e3f4a5b6c";

  /** One ignored event as the listener kept it. */
  record Kept(String eventId, String intentId, String topUpId, Reason reason) {}

  private final List<Kept> ignored = new CopyOnWriteArrayList<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private Configuration axon;
  private TopUpGatewayListener testSubject;

  @BeforeEach
  void setUp() {
    axon =
        DefaultConfigurer.defaultConfiguration()
            .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
            .configureAggregate(TopUp.class)
            // What the service's own provider copies too: who acted, and which gateway event.
            .configureCorrelationDataProviders(
                c -> List.of(new SimpleCorrelationDataProvider("subject", "gatewayEventId")))
            .buildConfiguration();
    axon.start();
    axon.commandGateway().sendAndWait(new RequestTopUp(ID, "acc-1", 5_000, "EUR"));
    axon.commandGateway().sendAndWait(new RecordTopUpIntent(ID, "pi_1"));
    testSubject =
        new TopUpGatewayListener(
            axon.commandGateway(),
            Set.of(ID)::contains,
            (eventId, type, intentId, topUpId, reason) ->
                ignored.add(new Kept(eventId, intentId, topUpId, reason)),
            meters);
  }

  @AfterEach
  void tearDown() {
    axon.shutdown();
  }

  @Test
  void aSucceededIntentSucceedsItsTopUpAsTheGateway() {
    testSubject.onEvent(succeeded("evt_1", "pi_1", ID, 5_000));

    assertThat(payloads())
        .containsExactly(
            new TopUpRequested(ID, "acc-1", 5_000, "EUR"),
            new TopUpIntentCreated(ID, "pi_1"),
            new TopUpSucceeded(ID, "pi_1", "acc-1", 5_000, "EUR"));
    DomainEventMessage<?> last = history().get(2);
    assertThat(last.getMetaData())
        .containsEntry("subject", TopUpGatewayListener.SUBJECT)
        .containsEntry("gatewayEventId", "evt_1");
    assertThat(count("payment_intent.succeeded", "recorded")).isEqualTo(1);
  }

  @Test
  void aRedeliveredSuccessChangesNothing() {
    testSubject.onEvent(succeeded("evt_1", "pi_1", ID, 5_000));
    testSubject.onEvent(succeeded("evt_1", "pi_1", ID, 5_000));
    testSubject.onEvent(succeeded("evt_2", "pi_1", ID, 5_000));

    assertThat(payloads()).filteredOn(TopUpSucceeded.class::isInstance).hasSize(1);
    assertThat(count("payment_intent.succeeded", "unchanged")).isEqualTo(2);
    assertThat(ignored).isEmpty();
  }

  @Test
  void aFailureReportedAfterTheSuccessChangesNothing() {
    testSubject.onEvent(succeeded("evt_2", "pi_1", ID, 5_000));
    testSubject.onEvent(failed("evt_1", "pi_1", ID, "card_declined"));

    assertThat(payloads()).noneMatch(TopUpFailed.class::isInstance);
    assertThat(payloads().get(payloads().size() - 1))
        .isEqualTo(new TopUpSucceeded(ID, "pi_1", "acc-1", 5_000, "EUR"));
  }

  @Test
  void aSuccessAfterAFailureStillSucceeds() {
    testSubject.onEvent(failed("evt_1", "pi_1", ID, "insufficient_funds"));
    testSubject.onEvent(succeeded("evt_2", "pi_1", ID, 5_000));

    assertThat(payloads().subList(2, 4))
        .containsExactly(
            new TopUpFailed(ID, "pi_1", "insufficient_funds"),
            new TopUpSucceeded(ID, "pi_1", "acc-1", 5_000, "EUR"));
  }

  @Test
  void anEventForAnUnknownTopUpIsKeptAsideAndAnswered() {
    testSubject.onEvent(succeeded("evt_9", "pi_9", "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b", 100));
    testSubject.onEvent(succeeded("evt_8", "pi_8", null, 100));
    testSubject.onEvent(succeeded("evt_7", "pi_7", "'; drop table top_up_status; --", 100));

    assertThat(ignored)
        .containsExactly(
            new Kept(
                "evt_9", "pi_9", "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b", Reason.UNKNOWN_TOP_UP),
            new Kept("evt_8", "pi_8", null, Reason.UNKNOWN_TOP_UP),
            new Kept("evt_7", "pi_7", "'; drop table top_up_status; --", Reason.UNKNOWN_TOP_UP));
    assertThat(payloads()).hasSize(2);
    assertThat(count("payment_intent.succeeded", "unknown")).isEqualTo(3);
  }

  @Test
  void anEventThatDoesNotMatchItsTopUpIsKeptAsideAndCreditsNothing() {
    testSubject.onEvent(succeeded("evt_1", "pi_1", ID, 4_999));
    testSubject.onEvent(succeeded("evt_2", "pi_2", ID, 5_000));

    assertThat(payloads()).hasSize(2);
    assertThat(ignored)
        .containsExactly(
            new Kept("evt_1", "pi_1", ID, Reason.MISMATCH),
            new Kept("evt_2", "pi_2", ID, Reason.MISMATCH));
    assertThat(count("payment_intent.succeeded", "mismatch")).isEqualTo(2);
  }

  @Test
  void eventsOfOtherTypesAreNotATopUpsConcern() {
    testSubject.onEvent(
        new GatewayEvent(
            "evt_1", "payment_intent.created", Instant.now(), intent("pi_1", ID, 5_000, null)));
    testSubject.onEvent(new GatewayEvent("evt_2", "charge.refunded", Instant.now(), null));

    assertThat(payloads()).hasSize(2);
    assertThat(ignored).isEmpty();
  }

  @Test
  void aDeclineCodeIsKeptOnlyWhenItIsAPlainCode() {
    assertThat(TopUpGatewayListener.failureCode(intent("pi_1", ID, 1, "expired_card")))
        .isEqualTo("expired_card");
    assertThat(TopUpGatewayListener.failureCode(intent("pi_1", ID, 1, null)))
        .isEqualTo(TopUpFailed.PAYMENT_FAILED);
    assertThat(TopUpGatewayListener.failureCode(intent("pi_1", ID, 1, "<script>")))
        .isEqualTo(TopUpFailed.PAYMENT_FAILED);
    assertThat(TopUpGatewayListener.failureCode(intent("pi_1", ID, 1, "x".repeat(65))))
        .isEqualTo(TopUpFailed.PAYMENT_FAILED);
  }

  private static GatewayEvent succeeded(String id, String intentId, String topUpId, long amount) {
    return new GatewayEvent(
        id,
        GatewayEvent.PAYMENT_INTENT_SUCCEEDED,
        Instant.now(),
        intent(intentId, topUpId, amount, null));
  }

  private static GatewayEvent failed(String id, String intentId, String topUpId, String code) {
    return new GatewayEvent(
        id,
        GatewayEvent.PAYMENT_INTENT_FAILED,
        Instant.now(),
        intent(intentId, topUpId, 5_000, code));
  }

  private static PaymentIntent intent(String id, String topUpId, long amount, String failure) {
    Map<String, String> metadata = new HashMap<>();
    if (topUpId != null) {
      metadata.put(PaymentGateway.TOP_UP_ID, topUpId);
      metadata.put(PaymentGateway.ACCOUNT_ID, "acc-1");
    }
    return new PaymentIntent(
        id,
        null,
        failure == null ? "succeeded" : "requires_payment_method",
        amount,
        "EUR",
        metadata,
        failure);
  }

  private List<DomainEventMessage<?>> history() {
    List<DomainEventMessage<?>> history = new ArrayList<>();
    axon.eventStore().readEvents(ID).forEachRemaining(history::add);
    return history;
  }

  private List<Object> payloads() {
    return history().stream().map(message -> (Object) message.getPayload()).toList();
  }

  private double count(String type, String outcome) {
    var counter =
        meters.find(TopUpGatewayListener.EVENTS).tags("type", type, "outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }
}
