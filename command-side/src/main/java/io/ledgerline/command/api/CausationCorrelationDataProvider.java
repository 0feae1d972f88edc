package io.ledgerline.command.api;

import java.util.HashMap;
import java.util.Map;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.springframework.stereotype.Component;

/**
 * Copies who/why from a command to the events it causes: subject, correlation id, idempotency key
 * and the gateway event behind a webhook's command are inherited; the causation id is the id of the
 * causing message. The trace context is the current span's (the command's, see {@code
 * tracing.CommandTracingInterceptor}), else inherited, so an event names the span that stored it
 * and a transfer's later steps stay in its trace.
 */
@Component
class CausationCorrelationDataProvider implements CorrelationDataProvider {

  private final TraceMetadata traces;

  CausationCorrelationDataProvider(TraceMetadata traces) {
    this.traces = traces;
  }

  @Override
  public Map<String, ?> correlationDataFor(Message<?> message) {
    Map<String, Object> data = new HashMap<>();
    for (String key :
        new String[] {
          RequestMetadata.SUBJECT,
          RequestMetadata.CORRELATION_ID,
          RequestMetadata.IDEMPOTENCY_KEY,
          RequestMetadata.GATEWAY_EVENT_ID,
          TraceMetadata.TRACEPARENT,
          TraceMetadata.TRACE_ID
        }) {
      Object value = message.getMetaData().get(key);
      if (value != null) {
        data.put(key, value);
      }
    }
    data.putAll(traces.ofCurrentSpan());
    data.putIfAbsent(RequestMetadata.CORRELATION_ID, message.getIdentifier());
    data.put(RequestMetadata.CAUSATION_ID, message.getIdentifier());
    return data;
  }
}
