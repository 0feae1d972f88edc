package io.ledgerline.command.tracing;

import io.ledgerline.command.api.GroupCommit;
import io.ledgerline.command.api.RequestMetadata;
import io.ledgerline.command.api.TraceMetadata;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.ExecutionResult;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Gives every command the bus handles a span, {@code command <Type>}: a child of the HTTP request's
 * span for a command from the API, of the causing event's span for a step of the transfer process.
 * The events the handler applies are created while it is current, so their metadata names it (see
 * {@code api.CausationCorrelationDataProvider}); it ends when they are committed or rolled back.
 */
// Its place among the command bus's interceptors, outermost first (account.StaleDecisionCheck).
@Component
@Order(3)
class CommandTracingInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

  private final Tracer tracer;
  private final TraceMetadata traces;

  CommandTracingInterceptor(Tracer tracer, TraceMetadata traces) {
    this.tracer = tracer;
    this.traces = traces;
  }

  @Override
  public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
      throws Exception {
    CommandMessage<?> command = unitOfWork.getMessage();
    String type = command.getPayloadType().getSimpleName();
    Span.Builder builder =
        traces.continuing(command.getMetaData()).name("command " + type).tag("command", type);
    Object correlationId = command.getMetaData().get(RequestMetadata.CORRELATION_ID);
    if (correlationId != null) {
      builder.tag("correlation_id", correlationId.toString());
    }
    Span span = builder.start();
    Object result;
    try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
      result = chain.proceed();
    } catch (Exception e) {
      if (GroupCommit.isMember(unitOfWork)) {
        span.event("refused in a group commit; handled again alone");
      } else {
        span.error(e);
      }
      span.end();
      throw e;
    }
    if (unitOfWork.isRoot()) {
      // The events are appended at commit: the span covers the append too.
      unitOfWork.afterCommit(u -> span.end());
      unitOfWork.onRollback(
          u -> {
            ExecutionResult outcome = u.getExecutionResult();
            span.error(
                outcome != null && outcome.isExceptionResult()
                    ? outcome.getExceptionResult()
                    : new IllegalStateException("rolled back"));
            span.end();
          });
    } else if (GroupCommit.isMember(unitOfWork)) {
      // Ends with its group's commit. A group that rolls back hands each command back to be
      // handled alone, in a span of its own: this one only records that.
      unitOfWork.afterCommit(u -> span.end());
      unitOfWork.onRollback(
          u -> {
            span.event("group commit rolled back; handled again alone");
            span.end();
          });
    } else {
      // Sent by an event processor: its events commit with the processor's whole batch.
      span.end();
    }
    return result;
  }
}
