package io.ledgerline.query.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerline.events.EventWireFormat;
import io.ledgerline.platform.web.correlation.CorrelationIdFilter;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Continues the trace of every event a projector writes: a span {@code project <projection>} per
 * event, a child of the span that published it (the record's {@code traceparent} header), from the
 * start of its batch until the bulk write holding it was acknowledged, or failed. Logged at DEBUG
 * once written, with the event's trace, span and correlation ids.
 *
 * <p>Why not Spring Kafka's observation ({@code spring.kafka.listener.observation-enabled})? It
 * observes record listeners only: a batch listener gets no span at all. And one span per batch
 * could only link the traces of its events (OpenTelemetry's way for a batch), belonging to none of
 * them; a span per event continues each one, so a deposit's trace ends where it became visible.
 */
@Component
public class ProjectionTracing {

  /** No tracing: for tests, and services that run without it. */
  public static final ProjectionTracing NONE = new ProjectionTracing(Tracer.NOOP, Propagator.NOOP);

  private static final Logger log = LoggerFactory.getLogger(ProjectionTracing.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Propagator.Getter<Headers> HEADERS =
      (headers, key) -> {
        Header header = headers.lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
      };

  private final Tracer tracer;
  private final Propagator propagator;

  // Without tracing (management.tracing.enabled=false) there is no propagator: no spans.
  @Autowired
  ProjectionTracing(Tracer tracer, ObjectProvider<Propagator> propagator) {
    this(tracer, propagator.getIfAvailable(() -> Propagator.NOOP));
  }

  public ProjectionTracing(Tracer tracer, Propagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  /** The spans of one batch of {@code projection}, writing to {@code target}. */
  Batch batch(String projection, String target) {
    return new Batch(projection, target);
  }

  /** The events of one batch that a projector writes, each with its span. */
  final class Batch {

    private final String projection;
    private final String target;
    private final List<Span> spans = new ArrayList<>();
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    private final List<LedgerEventRecord> events = new ArrayList<>();

    private Batch(String projection, String target) {
      this.projection = projection;
      this.target = target;
    }

    /** Starts the span of an event the projector is about to write. */
    void add(ConsumerRecord<String, byte[]> record, LedgerEventRecord event) {
      String type = EventWireFormat.typeName(event.event().getClass());
      spans.add(
          propagator
              .extract(record.headers(), HEADERS)
              .name("project " + projection)
              .kind(Span.Kind.CONSUMER)
              .tag("messaging.destination.name", record.topic())
              .tag("messaging.consumer.group.name", "ledgerline-projection-" + projection)
              .tag("messaging.kafka.offset", record.offset())
              .tag("event", type)
              .start());
      records.add(record);
      events.add(event);
    }

    /** Ends every span: the batch's writes were acknowledged. */
    void projected() {
      for (int i = 0; i < spans.size(); i++) {
        Span span = spans.get(i);
        if (log.isDebugEnabled()) {
          LedgerEventRecord event = events.get(i);
          String correlationId = correlationId(records.get(i));
          try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            if (correlationId != null) {
              MDC.put(CorrelationIdFilter.MDC_KEY, correlationId);
            }
            log.debug(
                "Projected {} {}@{} into {}",
                EventWireFormat.typeName(event.event().getClass()),
                event.aggregateId(),
                event.sequence(),
                target);
          } finally {
            MDC.remove(CorrelationIdFilter.MDC_KEY);
          }
        }
        span.end();
      }
    }

    /** Ends every span with the failure: the batch is retried, or its culprit parked. */
    void failed(Throwable failure) {
      for (Span span : spans) {
        span.error(failure);
        span.end();
      }
    }
  }

  /** The correlation id in the event's metadata header, if any. */
  private static String correlationId(ConsumerRecord<String, byte[]> record) {
    Header metadata = record.headers().lastHeader(EventWireFormat.METADATA);
    if (metadata == null) {
      return null;
    }
    try {
      JsonNode correlationId = JSON.readTree(metadata.value()).get("correlationId");
      return correlationId == null || !correlationId.isTextual() ? null : correlationId.asText();
    } catch (IOException e) {
      return null; // Only the log line misses it; the event itself was projected.
    }
  }
}
