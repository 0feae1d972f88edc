package io.ledgerline.command.api;

import static io.ledgerline.command.api.RecordingTracing.CLIENT_SPAN_ID;
import static io.ledgerline.command.api.RecordingTracing.TRACEPARENT;
import static io.ledgerline.command.api.RecordingTracing.TRACE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an event keeps of the trace that stored it, and how work it causes continues that trace. */
class TraceMetadataTest {

  private final RecordingTracing tracing = new RecordingTracing();
  private final TraceMetadata testSubject = tracing.metadata();

  @Test
  void theCurrentSpanIsKeptAsItsW3cTraceparentAndItsTraceId() {
    Span span = testSubject.continuing(Map.of("traceparent", TRACEPARENT)).name("command").start();
    try (Tracer.SpanInScope scope = tracing.tracer().withSpan(span)) {
      assertThat(testSubject.ofCurrentSpan())
          .containsOnly(
              Map.entry("traceparent", "00-" + TRACE_ID + "-" + span.context().spanId() + "-01"),
              Map.entry("traceId", TRACE_ID));
    } finally {
      span.end();
    }
  }

  @Test
  void nothingIsKeptWithoutACurrentSpanOrWithTracingOff() {
    assertThat(testSubject.ofCurrentSpan()).isEmpty();

    TraceMetadata untraced = new TraceMetadata(Tracer.NOOP, Propagator.NOOP);
    assertThat(untraced.ofCurrentSpan()).isEmpty();
    assertThat(untraced.continuing(Map.of("traceparent", TRACEPARENT)).start().context().traceId())
        .isEmpty();
  }

  @Test
  void aSpanForAMessageContinuesTheTraceItsMetadataNames() {
    Span span = testSubject.continuing(Map.of("traceparent", TRACEPARENT)).name("publish").start();
    span.end();

    assertThat(span.context().traceId()).isEqualTo(TRACE_ID);
    assertThat(tracing.span("publish").getParentSpanId()).isEqualTo(CLIENT_SPAN_ID);
  }

  @Test
  void withoutATraceparentASpanIsAChildOfTheCurrentOneElseStartsATrace() {
    Span request = tracing.tracer().nextSpan().name("http").start();
    try (Tracer.SpanInScope scope = tracing.tracer().withSpan(request)) {
      testSubject.continuing(Map.of("subject", "alice")).name("child").start().end();
    } finally {
      request.end();
    }
    testSubject.continuing(Map.of()).name("root").start().end();

    assertThat(tracing.span("child").getTraceId()).isEqualTo(request.context().traceId());
    assertThat(tracing.span("child").getParentSpanId()).isEqualTo(request.context().spanId());
    assertThat(tracing.span("root").getTraceId()).isNotEqualTo(request.context().traceId());
    assertThat(tracing.span("root").getParentSpanContext().isValid()).isFalse();
  }
}
