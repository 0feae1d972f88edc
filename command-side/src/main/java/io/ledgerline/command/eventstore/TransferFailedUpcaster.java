package io.ledgerline.command.eventstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerline.events.TransferFailed;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** TransferFailed revision 1 (reason only) → revision 2 (with a failure code derived from it). */
@Component
@Order(1)
class TransferFailedUpcaster extends SingleEventUpcaster {

  private static final String TYPE = TransferFailed.class.getName();

  @Override
  protected boolean canUpcast(IntermediateEventRepresentation representation) {
    return representation.getType().getName().equals(TYPE)
        && representation.getType().getRevision() == null;
  }

  @Override
  protected IntermediateEventRepresentation doUpcast(
      IntermediateEventRepresentation representation) {
    return representation.upcastPayload(
        new SimpleSerializedType(TYPE, "2"),
        JsonNode.class,
        payload -> {
          ((ObjectNode) payload)
              .put(
                  "failureCode",
                  TransferFailed.failureCodeFor(payload.path("reason").asText(null)));
          return payload;
        });
  }
}
