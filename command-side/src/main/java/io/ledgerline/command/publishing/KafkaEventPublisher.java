package io.ledgerline.command.publishing;

import io.ledgerline.command.api.RequestMetadata;
import io.ledgerline.command.api.TraceMetadata;
import io.ledgerline.events.EventWireFormat;
import io.ledgerline.platform.web.correlation.CorrelationIdFilter;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes every stored event to Kafka, reading the event store through a tracking processor: the
 * store is the outbox. Only committed events are seen, and the processor's token advances only
 * after Kafka acknowledged the whole batch, so an event is published at least once and never before
 * it is durable. Consumers deduplicate by aggregate id and sequence number.
 *
 * <p>An event that can never be published (it does not deserialize, or the producer refuses the
 * record as too large, which it does before sending) fails in this handler and is parked in the
 * processor's dead-letter queue; the aggregate's later events wait behind it, all others go on. A
 * Kafka outage is never parked: it fails the acknowledgement of the batch, outside the handler, or
 * a send with a retriable error, and the batch is retried until Kafka is back.
 *
 * <p>Each send is a span, {@code publish <EventType>}, continuing the trace the event's metadata
 * names (the command that stored it); the record's {@code traceparent} header names that span, so
 * the projections continue the same trace. Logged at DEBUG, with the trace and correlation ids.
 */
@Component
@ProcessingGroup(KafkaEventPublisher.PROCESSOR)
class KafkaEventPublisher {

  /** The processor's stable name: its token in {@code token_entry} is keyed by it. */
  static final String PROCESSOR = "kafka-publisher";

  private static final String PENDING_SENDS = "ledgerline.kafka.pendingSends";
  private static final long ACK_TIMEOUT_SECONDS = 30;
  private static final Logger log = LoggerFactory.getLogger(KafkaEventPublisher.class);

  private final KafkaTemplate<String, byte[]> kafka;
  private final Serializer serializer;
  private final Tracer tracer;
  private final TraceMetadata traces;

  KafkaEventPublisher(
      KafkaTemplate<String, byte[]> kafka,
      @Qualifier("eventSerializer") Serializer serializer,
      Tracer tracer,
      TraceMetadata traces) {
    this.kafka = kafka;
    this.serializer = serializer;
    this.tracer = tracer;
    this.traces = traces;
  }

  @EventHandler
  void publish(Object payload, EventMessage<?> event, TrackingToken token) {
    if (!(event instanceof DomainEventMessage<?> domainEvent)) {
      return; // Only aggregate events form the ledger's history.
    }
    String type = EventWireFormat.typeName(payload.getClass());
    var headers = new RecordHeaders();
    header(headers, EventWireFormat.EVENT_ID, event.getIdentifier());
    header(headers, EventWireFormat.EVENT_TYPE, type);
    header(headers, EventWireFormat.AGGREGATE_TYPE, domainEvent.getType());
    header(headers, EventWireFormat.SEQUENCE, Long.toString(domainEvent.getSequenceNumber()));
    header(headers, EventWireFormat.GLOBAL_POSITION, Long.toString(token.position().orElse(-1)));
    header(headers, EventWireFormat.TIMESTAMP, event.getTimestamp().toString());
    headers.add(
        EventWireFormat.METADATA,
        serializer.serialize(event.getMetaData(), byte[].class).getData());
    byte[] value = serializer.serialize(payload, byte[].class).getData();
    Span span =
        traces
            .continuing(event.getMetaData())
            .name("publish " + type)
            .kind(Span.Kind.PRODUCER)
            .tag("messaging.destination.name", EventWireFormat.EVENTS_TOPIC)
            .tag("event", type)
            .start();
    // Untraced (tracing off): the stored context still travels, so the projection can continue it.
    String traceparent =
        traces
            .of(span.context())
            .getOrDefault(TraceMetadata.TRACEPARENT, metadata(event, TraceMetadata.TRACEPARENT));
    if (traceparent != null) {
      header(headers, EventWireFormat.TRACEPARENT, traceparent);
    }
    var record =
        new ProducerRecord<>(
            EventWireFormat.EVENTS_TOPIC,
            null,
            domainEvent.getAggregateIdentifier(),
            value,
            headers);
    String correlationId = metadata(event, RequestMetadata.CORRELATION_ID);
    try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
      if (correlationId != null) {
        MDC.put(CorrelationIdFilter.MDC_KEY, correlationId);
      }
      CompletableFuture<?> sent = kafka.send(record);
      sent.whenComplete(
          (result, failure) -> {
            if (failure != null) {
              span.error(failure);
            }
            span.end();
          });
      pendingSends().add(sent);
      log.debug(
          "Published {} {}@{} (position {}) to {}",
          type,
          domainEvent.getAggregateIdentifier(),
          domainEvent.getSequenceNumber(),
          token.position().orElse(-1),
          EventWireFormat.EVENTS_TOPIC);
    } catch (RuntimeException e) {
      span.error(e);
      span.end();
      throw e;
    } finally {
      MDC.remove(CorrelationIdFilter.MDC_KEY);
    }
  }

  private static String metadata(EventMessage<?> event, String key) {
    return event.getMetaData().get(key) instanceof String value ? value : null;
  }

  /** The sends of the current batch, awaited together before the processor's token moves on. */
  private static List<CompletableFuture<?>> pendingSends() {
    UnitOfWork<?> root = CurrentUnitOfWork.get().root();
    return root.getOrComputeResource(
        PENDING_SENDS,
        key -> {
          List<CompletableFuture<?>> sends = new ArrayList<>();
          root.onPrepareCommit(unitOfWork -> awaitAcknowledged(sends));
          return sends;
        });
  }

  private static void awaitAcknowledged(List<CompletableFuture<?>> sends) {
    try {
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
          .get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaPublishFailedException("interrupted while awaiting Kafka", e);
    } catch (ExecutionException | TimeoutException e) {
      // Rolls the batch back: the processor retries it, so nothing is skipped.
      throw new KafkaPublishFailedException("Kafka did not acknowledge the batch", e);
    }
  }

  private static void header(RecordHeaders headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
