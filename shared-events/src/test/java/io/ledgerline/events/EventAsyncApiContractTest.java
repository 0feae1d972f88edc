package io.ledgerline.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the published contract, {@code docs/asyncapi.yaml}, true to the events: an event type, a
 * field or a header that the document lacks or misstates fails here, so a consumer generating code
 * or validating records from the document never meets a record it did not expect.
 */
class EventAsyncApiContractTest {

  private static final Path DOCUMENT = Path.of("../docs/asyncapi.yaml");
  private static final Path SNAPSHOTS = Path.of("src/test/resources/contracts");
  private static final String EVENTS_CHANNEL = "#/channels/events";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The JSON type each Java type of a record component is written as. */
  private static final Map<Class<?>, String> JSON_TYPES =
      Map.of(
          String.class, "string",
          long.class, "integer",
          Long.class, "integer",
          int.class, "integer",
          Integer.class, "integer",
          boolean.class, "boolean",
          Boolean.class, "boolean");

  private static JsonNode document;

  @BeforeAll
  static void readDocument() throws IOException {
    document = new ObjectMapper(new YAMLFactory()).readTree(DOCUMENT.toFile());
  }

  static Stream<Class<? extends Record>> eventTypes() {
    return EventWireFormat.eventTypes().stream();
  }

  @Test
  void theDocumentedTopicIsTheOneEventsArePublishedTo() {
    assertThat(resolve(document.at("/channels/events")).path("address").asText())
        .isEqualTo(EventWireFormat.EVENTS_TOPIC);
  }

  @Test
  void everyEventTypeOnTheWireIsAMessageOfTheTopicAndOfItsReceiveOperation() {
    List<String> wireTypes = eventTypes().map(EventWireFormat::typeName).toList();
    List<String> channelMessages = new ArrayList<>();
    resolve(document.at("/channels/events"))
        .path("messages")
        .forEach(message -> channelMessages.add(resolve(message).path("name").asText()));
    assertThat(channelMessages).containsExactlyInAnyOrderElementsOf(wireTypes);

    List<String> receivedMessages = new ArrayList<>();
    document
        .path("operations")
        .forEach(
            operation -> {
              if (operation.path("channel").path("$ref").asText().equals(EVENTS_CHANNEL)) {
                assertThat(operation.path("action").asText()).isEqualTo("receive");
                operation
                    .path("messages")
                    .forEach(
                        message -> receivedMessages.add(resolve(message).path("name").asText()));
              }
            });
    assertThat(receivedMessages).containsExactlyInAnyOrderElementsOf(wireTypes);
  }

  @Test
  void theDocumentedHeadersAreTheWireFormatsHeaders() throws IllegalAccessException {
    Set<String> headers = new LinkedHashSet<>();
    for (Field field : EventWireFormat.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers())
          && field.getType() == String.class
          && !field.getName().equals("EVENTS_TOPIC")) {
        headers.add((String) field.get(null));
      }
    }
    JsonNode schema = resolve(document.at("/components/schemas/EventHeaders"));

    assertThat(names(schema.path("properties"))).containsExactlyInAnyOrderElementsOf(headers);
    assertThat(texts(schema.path("required")))
        .as("every header is always sent, but the trace context")
        .containsExactlyInAnyOrderElementsOf(
            headers.stream().filter(h -> !h.equals(EventWireFormat.TRACEPARENT)).toList());
    assertThat(schema.path("additionalProperties").asBoolean(false))
        .as("readers must tolerate headers added later")
        .isTrue();
  }

  @ParameterizedTest
  @MethodSource("eventTypes")
  void thePayloadSchemaHasEveryComponentOfTheRecordWithItsType(Class<? extends Record> type) {
    JsonNode schema = payloadOf(type);
    List<String> components =
        Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();

    assertThat(names(schema.path("properties")))
        .as("the fields of %s's payload", type.getSimpleName())
        .containsExactlyInAnyOrderElementsOf(components);
    assertThat(texts(schema.path("required")))
        .as(
            "the required fields of %s: every component is always written, null or not",
            type.getSimpleName())
        .containsExactlyInAnyOrderElementsOf(components);
    assertThat(schema.path("additionalProperties").asBoolean(false))
        .as("readers of %s must tolerate fields added later", type.getSimpleName())
        .isTrue();
    for (RecordComponent component : type.getRecordComponents()) {
      Set<String> types = typesOf(schema.path("properties").path(component.getName()));
      String expected = jsonTypeOf(component.getType());
      assertThat(types)
          .as("the type of %s.%s", type.getSimpleName(), component.getName())
          .contains(expected);
      if (component.getType().isPrimitive()) {
        assertThat(types)
            .as("%s.%s is never null", type.getSimpleName(), component.getName())
            .containsExactly(expected);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("eventTypes")
  void everyFieldOfTheContractSnapshotIsInThePayloadSchemaWithACompatibleType(
      Class<? extends Record> type) throws IOException {
    JsonNode snapshot = JSON.readTree(SNAPSHOTS.resolve(type.getSimpleName() + ".json").toFile());
    JsonNode properties = payloadOf(type).path("properties");

    assertThat(names(properties)).containsAll(names(snapshot));
    snapshot
        .fields()
        .forEachRemaining(
            field ->
                assertThat(typesOf(properties.path(field.getKey())))
                    .as("the type of %s.%s", type.getSimpleName(), field.getKey())
                    .contains(jsonTypeOf(field.getValue())));
  }

  @ParameterizedTest
  @MethodSource("eventTypes")
  void theMessageNamesItsTypeAggregateKeyAndRevision(Class<? extends Record> type) {
    JsonNode message = messageOf(type);
    JsonNode headers = resolve(message.path("headers"));
    String aggregate =
        AccountEvent.class.isAssignableFrom(type)
            ? "Account"
            : OwnerEvent.class.isAssignableFrom(type)
                ? "Owner"
                : TopUpEvent.class.isAssignableFrom(type) ? "TopUp" : "Transfer";
    String aggregateId = type.getRecordComponents()[0].getName();

    assertThat(constOf(headers, EventWireFormat.EVENT_TYPE))
        .isEqualTo(EventWireFormat.typeName(type));
    assertThat(constOf(headers, EventWireFormat.AGGREGATE_TYPE)).isEqualTo(aggregate);
    assertThat(aggregateId)
        .isEqualTo(
            aggregate.substring(0, 1).toLowerCase(Locale.ROOT) + aggregate.substring(1) + "Id");
    JsonNode key = resolve(resolve(message.path("bindings")).path("kafka").path("key"));
    assertThat(typesOf(key)).containsExactly("string");
    assertThat(key.path("description").asText()).contains("`" + aggregateId + "`");
    String revision = EventRevisions.revisionOf(type);
    assertThat(message.path("x-revision").asText())
        .as("the revision of %s", type.getSimpleName())
        .isEqualTo(revision == null ? "1" : revision);
  }

  @Test
  void theDocumentedSealedTextIsTheFormatOfSharedEvents() {
    JsonNode schema = resolve(document.at("/components/schemas/SealedText"));

    assertThat(schema.path("pattern").asText()).isEqualTo(SealedText.PATTERN);
    assertThat(typesOf(schema)).containsExactly("string");
  }

  @ParameterizedTest
  @MethodSource("eventTypes")
  void everyPersonalFieldIsDocumentedAsSealedTextOrNull(Class<? extends Record> type) {
    JsonNode properties = payloadOf(type).path("properties");
    for (String field : PersonalFields.of(type)) {
      JsonNode property = resolve(properties.path(field));
      assertThat(property.path("pattern").asText())
          .as("the pattern of %s.%s", type.getSimpleName(), field)
          .isEqualTo(SealedText.PATTERN);
      assertThat(typesOf(property)).containsExactlyInAnyOrder("string", "null");
    }
  }

  @ParameterizedTest
  @MethodSource("eventTypes")
  void everyMessageHasExamplesOfItsOwnTypeAndFields(Class<? extends Record> type) {
    JsonNode examples = messageOf(type).path("examples");
    List<String> components =
        Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();

    assertThat(examples.size()).as("examples of %s", type.getSimpleName()).isPositive();
    for (JsonNode example : examples) {
      assertThat(example.path("headers").path(EventWireFormat.EVENT_TYPE).asText())
          .isEqualTo(EventWireFormat.typeName(type));
      assertThat(names(example.path("payload"))).containsExactlyInAnyOrderElementsOf(components);
    }
  }

  private static JsonNode messageOf(Class<?> type) {
    JsonNode message = resolve(document.at("/components/messages/" + type.getSimpleName()));
    assertThat(message.isMissingNode())
        .as("a message for %s in %s", type.getSimpleName(), DOCUMENT)
        .isFalse();
    assertThat(message.path("name").asText()).isEqualTo(EventWireFormat.typeName(type));
    return message;
  }

  private static JsonNode payloadOf(Class<?> type) {
    return resolve(messageOf(type).path("payload"));
  }

  /** Follows local references ({@code #/components/...}) until a node that is none. */
  private static JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    for (int hops = 0; current.has("$ref"); hops++) {
      String ref = current.get("$ref").asText();
      assertThat(ref).as("a local reference").startsWith("#/");
      assertThat(hops).as("references from %s", ref).isLessThan(16);
      current = document.at(ref.substring(1));
      assertThat(current.isMissingNode()).as("the target of %s", ref).isFalse();
    }
    return current;
  }

  /** The {@code const} a header has in a schema or in any of its {@code allOf} parts. */
  private static String constOf(JsonNode schema, String header) {
    JsonNode resolved = resolve(schema);
    JsonNode value = resolved.path("properties").path(header).path("const");
    if (!value.isMissingNode()) {
      return value.asText();
    }
    for (JsonNode part : resolved.path("allOf")) {
      String found = constOf(part, header);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static Set<String> typesOf(JsonNode schema) {
    JsonNode type = resolve(schema).path("type");
    return type.isArray() ? new LinkedHashSet<>(texts(type)) : Set.of(type.asText());
  }

  private static String jsonTypeOf(Class<?> javaType) {
    String type = JSON_TYPES.get(javaType);
    assertThat(type).as("the JSON type of %s: teach this test", javaType).isNotNull();
    return type;
  }

  private static String jsonTypeOf(JsonNode value) {
    return switch (value.getNodeType()) {
      case STRING -> "string";
      case NUMBER -> value.isIntegralNumber() ? "integer" : "number";
      case BOOLEAN -> "boolean";
      case NULL -> "null";
      case OBJECT -> "object";
      case ARRAY -> "array";
      default -> value.getNodeType().toString();
    };
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
