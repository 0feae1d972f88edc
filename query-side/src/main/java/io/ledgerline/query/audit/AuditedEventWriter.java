package io.ledgerline.query.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ledgerline.events.EventWireFormat;
import io.ledgerline.events.PersonalFields;
import io.ledgerline.eventstore.StoredEvent;
import io.ledgerline.eventstore.personaldata.PersonalData;
import java.io.IOException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a stored event as the auditors see it ({@link AuditController.AuditedEvent}): the
 * envelope, the payload and metadata exactly as stored, the personal fields opened beside them, and
 * the row's hash.
 *
 * <p>The payload and metadata are copied token by token from the stored bytes straight to the
 * output, and the personal fields are picked up on the way: no tree per event. An export streams
 * every event of the store through here, and two trees built and thrown away per line were work it
 * did for nothing. What that bought is not measured on its own: the benchmark's export went from
 * 0.40 x PostgreSQL's COPY (31,888 events, before) to 0.43 x (221,017 events, after), two runs too
 * different to compare (docs/benchmarks.md).
 */
final class AuditedEventWriter {

  private static final JsonFactory JSON = new JsonFactory();
  private static final HexFormat HEX = HexFormat.of();

  /** An owner's name and e-mail are never shown here, only whether they are erased. */
  private static final Set<String> OWNER_ONLY = Set.of(PersonalFields.NAME, PersonalFields.EMAIL);

  private final PersonalData personalData;

  AuditedEventWriter(PersonalData personalData) {
    this.personalData = personalData;
  }

  /** Writes {@code stored} as one JSON object. */
  void write(JsonGenerator out, StoredEvent stored) throws IOException {
    out.writeStartObject();
    out.writeNumberField("globalPosition", stored.globalPosition());
    out.writeStringField("aggregateId", stored.aggregateId());
    out.writeNumberField("sequence", stored.sequence());
    out.writeStringField("type", stored.typeName());
    out.writeStringField("timestamp", stored.timestamp());
    List<String> personal =
        EventWireFormat.typeFor(stored.typeName()).map(PersonalFields::of).orElse(List.of());
    out.writeFieldName("payload");
    Map<String, String> sealed = copy(stored.payload(), out, personal);
    if (!personal.isEmpty()) {
      out.writeObjectFieldStart("personalData");
      for (String field : personal) {
        PersonalData.Opened shown = personalData.open(sealed.get(field), field);
        if (!OWNER_ONLY.contains(field)) {
          out.writeStringField(field, shown.value());
        }
        out.writeBooleanField(field + "Erased", shown.erased());
      }
      out.writeEndObject();
    }
    out.writeFieldName("metadata");
    if (stored.metadata() == null) {
      out.writeStartObject();
      out.writeEndObject();
    } else {
      copy(stored.metadata(), out, List.of());
    }
    out.writeStringField("hash", HEX.formatHex(stored.hash()));
    out.writeEndObject();
  }

  /**
   * Copies one JSON value from {@code json} to {@code out} and returns the text values of the
   * top-level {@code fields} met on the way (a field that is not text counts as absent).
   */
  private static Map<String, String> copy(byte[] json, JsonGenerator out, List<String> fields)
      throws IOException {
    Map<String, String> found = fields.isEmpty() ? Map.of() : new HashMap<>(4);
    try (JsonParser in = JSON.createParser(json)) {
      int depth = 0;
      String wanted = null;
      JsonToken token = in.nextToken();
      if (token == null) {
        out.writeNull(); // Stored empty: nothing to show, but the line stays valid JSON.
      }
      for (; token != null; token = in.nextToken()) {
        if (depth == 1 && token == JsonToken.FIELD_NAME) {
          wanted = fields.contains(in.currentName()) ? in.currentName() : null;
        } else if (wanted != null) {
          if (token == JsonToken.VALUE_STRING) {
            found.put(wanted, in.getText());
          }
          wanted = null;
        }
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        }
        out.copyCurrentEventExact(in);
        if (depth == 0) {
          break; // One value: whatever follows it was never part of the stored JSON's meaning.
        }
      }
    }
    return found;
  }
}
