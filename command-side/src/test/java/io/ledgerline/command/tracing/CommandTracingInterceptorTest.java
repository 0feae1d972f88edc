package io.ledgerline.command.tracing;

import static io.ledgerline.command.api.RecordingTracing.CLIENT_SPAN_ID;
import static io.ledgerline.command.api.RecordingTracing.TRACEPARENT;
import static io.ledgerline.command.api.RecordingTracing.TRACE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.command.api.RecordingTracing;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Map;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;

/** Every command is a span of the trace that sent it, current while its events are created. */
class CommandTracingInterceptorTest {

  record DepositFunds(String accountId) {}

  private final RecordingTracing tracing = new RecordingTracing();
  private final Tracer tracer = tracing.tracer();
  private final CommandTracingInterceptor testSubject =
      new CommandTracingInterceptor(tracer, tracing.metadata());

  @Test
  void aCommandFromTheApiIsAChildOfTheRequestsSpanUntilItsEventsAreCommitted() {
    CommandMessage<DepositFunds> command =
        GenericCommandMessage.<DepositFunds>asCommandMessage(new DepositFunds("a-1"))
            .andMetaData(Map.of("correlationId", "order-42"));
    Span request = tracer.nextSpan().name("http post").start();
    String[] currentWhileHandled = new String[1];
    try (Tracer.SpanInScope scope = tracer.withSpan(request)) {
      handle(command, () -> currentWhileHandled[0] = tracer.currentSpan().context().spanId());
      assertThat(tracer.currentSpan().context().spanId()).isEqualTo(request.context().spanId());
    } finally {
      request.end();
    }

    SpanData span = tracing.span("command DepositFunds");
    assertThat(span.getTraceId()).isEqualTo(request.context().traceId());
    assertThat(span.getParentSpanId()).isEqualTo(request.context().spanId());
    assertThat(currentWhileHandled[0]).isEqualTo(span.getSpanId());
    assertThat(span.getAttributes().get(AttributeKey.stringKey("correlation_id")))
        .isEqualTo("order-42");
    assertThat(span.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
  }

  @Test
  void aStepOfTheTransferProcessContinuesTheTraceItsMetadataCarries() {
    CommandMessage<DepositFunds> step =
        GenericCommandMessage.<DepositFunds>asCommandMessage(new DepositFunds("a-1"))
            .andMetaData(Map.of("traceparent", TRACEPARENT, "traceId", TRACE_ID));

    handle(step, () -> {});

    SpanData span = tracing.span("command DepositFunds");
    assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(span.getParentSpanId()).isEqualTo(CLIENT_SPAN_ID);
  }

  @Test
  void aRejectedCommandEndsItsSpanAsAnError() {
    handle(
        GenericCommandMessage.asCommandMessage(new DepositFunds("a-1")),
        () -> {
          throw new IllegalStateException("account frozen");
        });

    SpanData span = tracing.span("command DepositFunds");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
  }

  @Test
  void aCommandWhoseAppendLosesARaceAtCommitEndsItsSpanAsAnError() {
    DefaultUnitOfWork<CommandMessage<?>> unitOfWork =
        DefaultUnitOfWork.startAndGet(
            GenericCommandMessage.asCommandMessage(new DepositFunds("a-1")));
    unitOfWork.onPrepareCommit(
        u -> {
          throw new ConcurrencyException("another writer appended sequence 4 first");
        });

    handle(unitOfWork, () -> {});

    SpanData span = tracing.span("command DepositFunds");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  /** Handles {@code command} as the command bus does: in a unit of work that then commits. */
  private void handle(CommandMessage<?> command, Runnable handler) {
    handle(DefaultUnitOfWork.startAndGet(command), handler);
  }

  private void handle(DefaultUnitOfWork<CommandMessage<?>> unitOfWork, Runnable handler) {
    InterceptorChain chain =
        () -> {
          handler.run();
          return null;
        };
    unitOfWork.executeWithResult(() -> testSubject.handle(unitOfWork, chain));
  }
}
