package io.ledgerline.command.api;

import static io.ledgerline.command.api.RecordingTracing.TRACEPARENT;
import static io.ledgerline.command.api.RecordingTracing.TRACE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.events.FundsDeposited;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;

/** What an event inherits from the message that caused it: who, why, and the trace. */
class CausationCorrelationDataProviderTest {

  private final RecordingTracing tracing = new RecordingTracing();
  private final CausationCorrelationDataProvider testSubject =
      new CausationCorrelationDataProvider(tracing.metadata());

  @Test
  void anEventOfACommandNamesTheCommandsSpanBesideWhoAndWhy() {
    CommandMessage<String> command =
        GenericCommandMessage.<String>asCommandMessage("deposit")
            .andMetaData(
                Map.of(
                    "subject", "alice",
                    "correlationId", "order-42",
                    "idempotencyKey", "key-1",
                    "unrelated", "dropped"));
    Span span = tracing.tracer().nextSpan().name("command DepositFunds").start();
    Map<String, Object> data;
    try (Tracer.SpanInScope scope = tracing.tracer().withSpan(span)) {
      data = dataFor(command);
    } finally {
      span.end();
    }

    assertThat(data)
        .containsOnly(
            Map.entry("subject", "alice"),
            Map.entry("correlationId", "order-42"),
            Map.entry("idempotencyKey", "key-1"),
            Map.entry("causationId", command.getIdentifier()),
            Map.entry(
                "traceparent",
                "00-" + span.context().traceId() + "-" + span.context().spanId() + "-01"),
            Map.entry("traceId", span.context().traceId()));
  }

  @Test
  void aCommandOfTheTransferProcessKeepsTheTraceOfTheEventThatCausedIt() {
    EventMessage<FundsDeposited> event =
        GenericEventMessage.<FundsDeposited>asEventMessage(
                new FundsDeposited("a-1", 100, "EUR", 100, "r"))
            .withMetaData(
                MetaData.from(
                    Map.of(
                        "correlationId", "order-42",
                        "traceparent", TRACEPARENT,
                        "traceId", TRACE_ID)));

    Map<String, Object> data = dataFor(event);

    assertThat(data)
        .containsEntry("traceparent", TRACEPARENT)
        .containsEntry("traceId", TRACE_ID)
        .containsEntry("correlationId", "order-42")
        .containsEntry("causationId", event.getIdentifier());
  }

  @Test
  void aMessageWithoutACorrelationIdStartsItsOwnCorrelation() {
    CommandMessage<String> command = GenericCommandMessage.asCommandMessage("deposit");

    assertThat(dataFor(command))
        .containsEntry("correlationId", command.getIdentifier())
        .doesNotContainKeys("traceparent", "traceId");
  }

  private Map<String, Object> dataFor(Message<?> message) {
    return new HashMap<>(testSubject.correlationDataFor(message));
  }
}
