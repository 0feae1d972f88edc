package io.ledgerline.command.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.events.EventRevisions;
import io.ledgerline.events.TransferFailed;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;

class TransferFailedUpcasterTest {

  private final JacksonSerializer serializer =
      JacksonSerializer.builder()
          .objectMapper(EventStoreConfiguration.storageObjectMapper())
          .revisionResolver(EventRevisions::revisionOf)
          .build();

  @Test
  void aRevisionOneEventGainsItsFailureCode() {
    List<IntermediateEventRepresentation> upcast =
        upcast(null, "{\"transferId\":\"t-1\",\"reason\":\"destination account is frozen\"}");

    assertThat(upcast).hasSize(1);
    assertThat(upcast.get(0).getType().getRevision()).isEqualTo("2");
    TransferFailed event = serializer.deserialize(upcast.get(0).getData());
    assertThat(event)
        .isEqualTo(
            new TransferFailed("t-1", "destination account is frozen", "DESTINATION_FROZEN"));
  }

  @Test
  void aCurrentEventIsLeftAlone() {
    String json = "{\"transferId\":\"t-1\",\"reason\":\"x\",\"failureCode\":\"OTHER\"}";
    List<IntermediateEventRepresentation> upcast = upcast("2", json);
    TransferFailed event = serializer.deserialize(upcast.get(0).getData());
    assertThat(event.failureCode()).isEqualTo("OTHER");
  }

  @Test
  void newEventsAreStoredAtTheCurrentRevision() {
    var serialized = serializer.serialize(new TransferFailed("t", "r", "OTHER"), byte[].class);
    assertThat(serialized.getType().getRevision()).isEqualTo("2");
  }

  private List<IntermediateEventRepresentation> upcast(String revision, String json) {
    var entry =
        new GenericDomainEventEntry<>(
            "Transfer",
            "t-1",
            1,
            "event-1",
            Instant.now(),
            TransferFailed.class.getName(),
            revision,
            json.getBytes(StandardCharsets.UTF_8),
            "{}".getBytes(StandardCharsets.UTF_8));
    Stream<IntermediateEventRepresentation> input =
        Stream.of(new InitialEventRepresentation(entry, serializer));
    return new TransferFailedUpcaster().upcast(input).toList();
  }
}
