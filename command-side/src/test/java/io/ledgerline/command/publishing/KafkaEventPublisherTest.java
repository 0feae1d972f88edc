package io.ledgerline.command.publishing;

import static io.ledgerline.command.api.RecordingTracing.CLIENT_SPAN_ID;
import static io.ledgerline.command.api.RecordingTracing.TRACEPARENT;
import static io.ledgerline.command.api.RecordingTracing.TRACE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.ledgerline.command.api.RecordingTracing;
import io.ledgerline.command.api.TraceMetadata;
import io.ledgerline.events.EventWireFormat;
import io.ledgerline.events.FundsDeposited;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;

/** The trace crosses Kafka: each record names the span that published it, in its event's trace. */
class KafkaEventPublisherTest {

  private final List<ProducerRecord<String, byte[]>> sent = new ArrayList<>();
  private final RecordingTracing tracing = new RecordingTracing();

  @Test
  void aRecordsTraceparentNamesItsPublishSpanInTheTraceOfTheCommandThatStoredIt() {
    publish(
        new KafkaEventPublisher(kafka(), serializer(), tracing.tracer(), tracing.metadata()),
        Map.of("traceparent", TRACEPARENT, "traceId", TRACE_ID, "correlationId", "order-42"));

    SpanData publish = tracing.span("publish FundsDeposited");
    assertThat(publish.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(publish.getParentSpanId()).isEqualTo(CLIENT_SPAN_ID);
    assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(header(EventWireFormat.TRACEPARENT))
        .isEqualTo("00-" + TRACE_ID + "-" + publish.getSpanId() + "-01");
  }

  @Test
  void withTracingOffTheStoredTraceparentStillTravels() {
    var untraced = new TraceMetadata(Tracer.NOOP, Propagator.NOOP);

    publish(
        new KafkaEventPublisher(kafka(), serializer(), Tracer.NOOP, untraced),
        Map.of("traceparent", TRACEPARENT));

    assertThat(header(EventWireFormat.TRACEPARENT)).isEqualTo(TRACEPARENT);
  }

  @Test
  void anUntracedEventHasNoTraceparentHeader() {
    var untraced = new TraceMetadata(Tracer.NOOP, Propagator.NOOP);

    publish(new KafkaEventPublisher(kafka(), serializer(), Tracer.NOOP, untraced), Map.of());

    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).headers().lastHeader(EventWireFormat.TRACEPARENT)).isNull();
  }

  /** Publishes one stored deposit in a batch of its own, acknowledged by Kafka at once. */
  private void publish(KafkaEventPublisher testSubject, Map<String, ?> metadata) {
    FundsDeposited deposit = new FundsDeposited("a-1", 100, "EUR", 100, "r");
    DomainEventMessage<FundsDeposited> event =
        new GenericDomainEventMessage<>("Account", "a-1", 3, deposit, metadata);
    DefaultUnitOfWork<DomainEventMessage<FundsDeposited>> batch =
        DefaultUnitOfWork.startAndGet(event);
    testSubject.publish(deposit, event, new GlobalSequenceTrackingToken(1_003));
    batch.commit();
  }

  @SuppressWarnings("unchecked")
  private KafkaTemplate<String, byte[]> kafka() {
    KafkaTemplate<String, byte[]> kafka = mock(KafkaTemplate.class);
    when(kafka.send(any(ProducerRecord.class)))
        .thenAnswer(
            call -> {
              sent.add(call.getArgument(0));
              return CompletableFuture.completedFuture(null);
            });
    return kafka;
  }

  private static JacksonSerializer serializer() {
    return JacksonSerializer.defaultSerializer();
  }

  private String header(String name) {
    assertThat(sent).hasSize(1);
    Header header = sent.get(0).headers().lastHeader(name);
    assertThat(header).as(name).isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }
}
