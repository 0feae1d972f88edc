package io.ledgerline.query.api;

import co.elastic.clients.elasticsearch._types.FieldValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An opaque pagination cursor: the sort values of the last item returned (for {@code search_after})
 * and, where used, the point-in-time id that keeps pages consistent. Clients pass it back
 * unchanged; anything else is rejected as a bad request, never sent to Elasticsearch as is.
 *
 * @param pointInTime the point-in-time id, or null
 * @param after the sort values to continue after
 */
public record SearchCursor(String pointInTime, List<FieldValue> after) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LENGTH = 4096;

  /** The cursor as a URL-safe string. */
  public String encode() {
    ObjectNode node = JSON.createObjectNode();
    if (pointInTime != null) {
      node.put("pit", pointInTime);
    }
    ArrayNode values = node.putArray("after");
    for (FieldValue value : after) {
      if (value.isLong()) {
        values.addObject().put("l", value.longValue());
      } else if (value.isDouble()) {
        values.addObject().put("d", value.doubleValue());
      } else if (value.isString()) {
        values.addObject().put("s", value.stringValue());
      } else if (value.isBoolean()) {
        values.addObject().put("b", value.booleanValue());
      } else {
        values.addObject().putNull("n");
      }
    }
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Parses a cursor a client sent back.
   *
   * @throws InvalidParameterException when it is not one of ours
   */
  public static SearchCursor decode(String cursor) {
    if (cursor.length() > MAX_LENGTH) {
      throw new InvalidParameterException("cursor", "is not a cursor returned by this API");
    }
    try {
      JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(cursor));
      String pit = node.hasNonNull("pit") ? node.get("pit").asText() : null;
      List<FieldValue> after = new ArrayList<>();
      for (JsonNode value : node.withArray("after")) {
        if (value.has("l") && value.get("l").canConvertToLong()) {
          after.add(FieldValue.of(value.get("l").longValue()));
        } else if (value.has("d") && value.get("d").isNumber()) {
          after.add(FieldValue.of(value.get("d").doubleValue()));
        } else if (value.has("s") && value.get("s").isTextual()) {
          after.add(FieldValue.of(value.get("s").asText()));
        } else if (value.has("b") && value.get("b").isBoolean()) {
          after.add(FieldValue.of(value.get("b").booleanValue()));
        } else if (value.has("n")) {
          after.add(FieldValue.NULL);
        } else {
          throw new IllegalArgumentException("bad sort value");
        }
      }
      if (after.isEmpty() || after.size() > 4) {
        throw new IllegalArgumentException("bad sort values");
      }
      return new SearchCursor(pit, after);
    } catch (RuntimeException | java.io.IOException e) {
      throw new InvalidParameterException("cursor", "is not a cursor returned by this API");
    }
  }
}
