package io.ledgerline.command.api;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The trace context a message keeps in its metadata, so that one trace runs from the HTTP command
 * through the event store, the transfer process and Kafka: the W3C {@code traceparent} of the span
 * that caused the message, and its trace id on its own for people reading the audit trail.
 */
@Component
public class TraceMetadata {

  /** Metadata key: the W3C trace context of the span that caused the message. */
  public static final String TRACEPARENT = "traceparent";

  /**
   * Metadata key: the OpenTelemetry trace id alone (32 hex digits), the one the logs show; not
   * Axon's {@code MessageOriginProvider} notion of a trace id, which this service does not use.
   */
  public static final String TRACE_ID = "traceId";

  private static final Propagator.Getter<Map<String, ?>> METADATA =
      (metadata, key) -> metadata.get(key) instanceof String value ? value : null;

  private final Tracer tracer;
  private final Propagator propagator;

  // Without tracing (management.tracing.enabled=false) there is no propagator: nothing is kept.
  @Autowired
  TraceMetadata(Tracer tracer, ObjectProvider<Propagator> propagator) {
    this(tracer, propagator.getIfAvailable(() -> Propagator.NOOP));
  }

  public TraceMetadata(Tracer tracer, Propagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  /** The current span's context as metadata; empty when no span is current. */
  public Map<String, String> ofCurrentSpan() {
    Span current = tracer.currentSpan();
    return current == null ? Map.of() : of(current.context());
  }

  /** {@code context} as metadata: its {@code traceparent} and trace id, or empty if untraced. */
  public Map<String, String> of(TraceContext context) {
    Map<String, String> fields = new HashMap<>();
    propagator.inject(context, fields, Map::put);
    String traceparent = fields.get(TRACEPARENT);
    return traceparent == null
        ? Map.of()
        : Map.of(TRACEPARENT, traceparent, TRACE_ID, context.traceId());
  }

  /**
   * A span for work a message causes: a child of the span its {@code traceparent} names, else of
   * the current span, else the first of a new trace.
   */
  public Span.Builder continuing(Map<String, ?> metadata) {
    return propagator.extract(metadata, METADATA);
  }
}
