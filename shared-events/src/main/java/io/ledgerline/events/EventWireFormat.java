package io.ledgerline.events;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How a stored event travels on Kafka, agreed between the publisher (command side) and the
 * projectors (query side).
 *
 * <p>One record per event on {@link #EVENTS_TOPIC}; the key is the aggregate id, so all events of
 * one aggregate land on one partition in order. The value is the event record as JSON. The headers
 * below carry the envelope: identity, position and metadata.
 */
public final class EventWireFormat {

  /** The topic every stored event is published to. */
  public static final String EVENTS_TOPIC = "ledgerline.events.v1";

  /** Header: the event's globally unique id (UTF-8). */
  public static final String EVENT_ID = "ll-event-id";

  /** Header: the event's type name, see {@link #typeName(Class)} (UTF-8). */
  public static final String EVENT_TYPE = "ll-event-type";

  /** Header: the aggregate's type, e.g. {@code Account} (UTF-8). */
  public static final String AGGREGATE_TYPE = "ll-aggregate-type";

  /** Header: the event's sequence number within its aggregate, from 0 (decimal UTF-8). */
  public static final String SEQUENCE = "ll-sequence";

  /** Header: the event's position in the store's global order (decimal UTF-8). */
  public static final String GLOBAL_POSITION = "ll-global-position";

  /** Header: when the event was stored, ISO-8601 instant (UTF-8). */
  public static final String TIMESTAMP = "ll-timestamp";

  /** Header: the event's metadata (subject, correlation id, ...) as a JSON object (UTF-8). */
  public static final String METADATA = "ll-metadata";

  /**
   * Header: the W3C trace context of the span that published the event ({@code 00-<trace id>-<span
   * id>-<flags>}), so that its projection continues the trace of the command that stored it
   * (UTF-8); absent when the event was not traced.
   */
  public static final String TRACEPARENT = "traceparent";

  private static final List<Class<? extends Record>> EVENT_TYPES =
      List.of(
          AccountOpened.class,
          FundsDeposited.class,
          FundsWithdrawn.class,
          AccountFrozen.class,
          AccountUnfrozen.class,
          AccountClosed.class,
          TransferDebited.class,
          TransferDebitRefused.class,
          TransferCredited.class,
          TransferCreditRefused.class,
          TransferDebitReversed.class,
          TransferRequested.class,
          TransferCompleted.class,
          TransferFailed.class,
          TopUpRequested.class,
          TopUpIntentCreated.class,
          TopUpSucceeded.class,
          TopUpFailed.class,
          OwnerProfileRecorded.class,
          OwnerPersonalDataErased.class);

  private static final Map<String, Class<? extends Record>> BY_NAME =
      EVENT_TYPES.stream().collect(Collectors.toMap(Class::getSimpleName, Function.identity()));

  private EventWireFormat() {}

  /** The wire name of an event type: its simple class name, frozen once published. */
  public static String typeName(Class<?> eventType) {
    return eventType.getSimpleName();
  }

  /** The event record class for a wire name, if it is one of ours. */
  public static Optional<Class<? extends Record>> typeFor(String typeName) {
    return Optional.ofNullable(BY_NAME.get(typeName));
  }

  /** Every event type that may appear on the wire. */
  public static List<Class<? extends Record>> eventTypes() {
    return EVENT_TYPES;
  }
}
