package io.ledgerline.command.api;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Micrometer's tracing API on a real OpenTelemetry SDK, as the service runs it (W3C propagation,
 * every trace sampled), keeping each finished span for the test to read.
 */
public final class RecordingTracing {

  /** A W3C traceparent as a client would send it, and its parts. */
  public static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  public static final String CLIENT_SPAN_ID = "00f067aa0ba902b7";
  public static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CLIENT_SPAN_ID + "-01";

  private final List<SpanData> finished = new CopyOnWriteArrayList<>();
  private final Tracer tracer;
  private final Propagator propagator;

  public RecordingTracing() {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(
                new SpanProcessor() {
                  @Override
                  public void onStart(Context parentContext, ReadWriteSpan span) {}

                  @Override
                  public boolean isStartRequired() {
                    return false;
                  }

                  @Override
                  public void onEnd(ReadableSpan span) {
                    finished.add(span.toSpanData());
                  }

                  @Override
                  public boolean isEndRequired() {
                    return true;
                  }
                })
            .build();
    io.opentelemetry.api.trace.Tracer otel = provider.get("test");
    OtelCurrentTraceContext current = new OtelCurrentTraceContext();
    this.tracer =
        new OtelTracer(
            otel, current, event -> {}, new OtelBaggageManager(current, List.of(), List.of()));
    this.propagator =
        new OtelPropagator(
            ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
  }

  public Tracer tracer() {
    return tracer;
  }

  public Propagator propagator() {
    return propagator;
  }

  public TraceMetadata metadata() {
    return new TraceMetadata(tracer, propagator);
  }

  /** The spans ended so far, in the order they ended. */
  public List<SpanData> finished() {
    return finished;
  }

  /** The one finished span named {@code name}. */
  public SpanData span(String name) {
    List<SpanData> named = finished.stream().filter(s -> s.getName().equals(name)).toList();
    if (named.size() != 1) {
      throw new AssertionError("expected one span " + name + " among " + finished);
    }
    return named.get(0);
  }
}
