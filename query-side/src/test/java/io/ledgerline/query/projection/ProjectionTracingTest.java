package io.ledgerline.query.projection;

import static io.ledgerline.query.projection.RecordingTracing.CLIENT_SPAN_ID;
import static io.ledgerline.query.projection.RecordingTracing.TRACEPARENT;
import static io.ledgerline.query.projection.RecordingTracing.TRACE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerline.events.AccountEvent;
import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.EventWireFormat;
import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.TransferRequested;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.listener.BatchListenerFailedException;

/**
 * A batch listener gets no span from Spring Kafka, so the projector continues each event's trace
 * itself: one span per event it writes, a child of the span that published it.
 */
class ProjectionTracingTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OTHER_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final String OTHER_SPAN_ID = "b7ad6b7169203331";

  /** Writes account events nowhere; a test may make the first one fail to apply. */
  static final class AccountsProjector extends Projector {

    RuntimeException failure;

    AccountsProjector(ProjectionTracing tracing) {
      super(null, new ReadModelIndex("accounts", "accounts-v1", "/none.json"), tracing);
    }

    @Override
    public String name() {
      return "accounts";
    }

    @Override
    public boolean handles(Record event) {
      return event instanceof AccountEvent;
    }

    @Override
    protected BatchResult write(List<LedgerEventRecord> events) {
      return failure == null ? BatchResult.COMPLETE : new BatchResult(0, failure);
    }
  }

  private final RecordingTracing tracing = new RecordingTracing();
  private final AccountsProjector testSubject = new AccountsProjector(tracing.projectionTracing());
  private final Logger logger = (Logger) LoggerFactory.getLogger(ProjectionTracing.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @AfterEach
  void detachTheLog() {
    logger.detachAppender(logged);
    logger.setLevel(null);
  }

  @Test
  void eachEventWrittenContinuesTheTraceThatPublishedItUntilTheWriteIsAcknowledged() {
    testSubject.project(
        List.of(
            record(0, "a-1", 0, new AccountOpened("a-1", "o-1", "EUR", 0), TRACEPARENT),
            record(1, "t-1", 0, new TransferRequested("t-1", "a-1", "a-2", 5, "EUR", "r"), null),
            record(
                2,
                "a-1",
                1,
                new FundsDeposited("a-1", 100, "EUR", 100, "r"),
                "00-" + OTHER_TRACE_ID + "-" + OTHER_SPAN_ID + "-01")),
        () -> {});

    // The transfer event is not the accounts projection's: no span of its own.
    assertThat(tracing.finished())
        .extracting(SpanData::getTraceId, SpanData::getParentSpanId)
        .containsExactly(tuple(TRACE_ID, CLIENT_SPAN_ID), tuple(OTHER_TRACE_ID, OTHER_SPAN_ID));
    assertThat(tracing.finished())
        .allSatisfy(
            span -> {
              assertThat(span.getName()).isEqualTo("project accounts");
              assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
              assertThat(span.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
            });
  }

  @Test
  void aFailedWriteEndsTheSpansOfItsBatchAsErrors() {
    testSubject.failure = new IllegalStateException("never opened");

    assertThatThrownBy(
            () ->
                testSubject.project(
                    List.of(
                        record(
                            0, "a-1", 0, new AccountOpened("a-1", "o-1", "EUR", 0), TRACEPARENT)),
                    () -> {}))
        .isInstanceOf(BatchListenerFailedException.class);

    SpanData span = tracing.span("project accounts");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
  }

  @Test
  void aProjectedEventIsLoggedAtDebugWithTheCorrelationIdOfItsCommand() {
    logger.setLevel(Level.DEBUG);
    logger.addAppender(logged);
    logged.start();

    testSubject.project(
        List.of(record(4, "a-1", 1, new FundsDeposited("a-1", 100, "EUR", 100, "r"), TRACEPARENT)),
        () -> {});

    assertThat(logged.list)
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.getFormattedMessage())
                  .isEqualTo("Projected FundsDeposited a-1@1 into accounts");
              assertThat(line.getMDCPropertyMap()).containsEntry("correlationId", "order-42");
            });
    assertThat(MDC.get("correlationId")).isNull();
  }

  private static ConsumerRecord<String, byte[]> record(
      long offset, String aggregateId, long sequence, Record event, String traceparent) {
    try {
      var record =
          new ConsumerRecord<>(
              EventWireFormat.EVENTS_TOPIC, 0, offset, aggregateId, JSON.writeValueAsBytes(event));
      record.headers().add(EventWireFormat.EVENT_ID, bytes(aggregateId + "/" + sequence));
      record
          .headers()
          .add(EventWireFormat.EVENT_TYPE, bytes(EventWireFormat.typeName(event.getClass())));
      record.headers().add(EventWireFormat.SEQUENCE, bytes(Long.toString(sequence)));
      record.headers().add(EventWireFormat.GLOBAL_POSITION, bytes(Long.toString(100 + offset)));
      record
          .headers()
          .add(EventWireFormat.TIMESTAMP, bytes(Instant.parse("2026-01-31T12:00:00Z").toString()));
      record
          .headers()
          .add(
              EventWireFormat.METADATA,
              bytes("{\"correlationId\":\"order-42\",\"subject\":\"s\"}"));
      if (traceparent != null) {
        record.headers().add(EventWireFormat.TRACEPARENT, bytes(traceparent));
      }
      return record;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
