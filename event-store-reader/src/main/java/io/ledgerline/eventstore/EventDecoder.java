package io.ledgerline.eventstore;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ledgerline.events.EventWireFormat;
import io.ledgerline.events.TransferFailed;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one decoder of stored payloads into the records of {@code shared-events}: an event is stored
 * by the command side's Axon {@code JacksonSerializer} as its record's JSON, under its class name
 * ({@code payload_type}) and the revision of {@code EventRevisions} ({@code payload_revision}, null
 * for the first). Older revisions are upcast to the current shape first, exactly as the command
 * side's Axon upcasters do ({@code command.eventstore.TransferFailedUpcaster}).
 */
public final class EventDecoder {

  private static final String EVENTS_PACKAGE = "io.ledgerline.events.";

  // Tolerant of fields added later, like the command side's storage mapper.
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private EventDecoder() {}

  /**
   * Decodes a stored payload of the given type and revision into its event record.
   *
   * @param payloadType the stored {@code payload_type}, a class name in {@code
   *     io.ledgerline.events}
   * @param revision the stored {@code payload_revision}, or {@code null} for the first
   * @param payload the stored JSON
   * @throws IllegalStateException when the type is not one of the ledger's events
   * @throws UncheckedIOException when the payload is not JSON of that type
   */
  public static Record decode(String payloadType, String revision, byte[] payload) {
    if (!payloadType.startsWith(EVENTS_PACKAGE)) {
      throw new IllegalStateException("not a ledger event: " + payloadType);
    }
    Class<? extends Record> type =
        EventWireFormat.typeFor(typeName(payloadType))
            .orElseThrow(() -> new IllegalStateException("unknown event type " + payloadType));
    try {
      JsonNode tree = JSON.readTree(payload);
      upcast(type, revision, tree);
      return JSON.treeToValue(tree, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An event's simple type name ({@code FundsDeposited}) from its stored {@code payload_type}. */
  public static String typeName(String payloadType) {
    return payloadType.substring(payloadType.lastIndexOf('.') + 1);
  }

  /** Brings an older revision's JSON to the current shape, in place; one step per revision. */
  private static void upcast(Class<? extends Record> type, String revision, JsonNode tree) {
    // TransferFailed revision 1 (reason only) -> 2 (with the failure code its reason stands for).
    if (type == TransferFailed.class && revision == null && tree instanceof ObjectNode node) {
      node.put("failureCode", TransferFailed.failureCodeFor(node.path("reason").asText(null)));
    }
  }
}
