package io.ledgerline.query.api;

import co.elastic.clients.elasticsearch._types.FieldValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * Issues and checks the pagination cursors of the query API. A cursor is {@code base64url(payload)
 * "." base64url(HMAC-SHA256(payload))} under {@code ledgerline.api.cursor-key}; the payload names
 * the list and the fingerprint of the query it belongs to, when it was issued, and where the list
 * left off. Anything changed, truncated, foreign or presented to another list or with other
 * parameters is a 400; a genuine cursor past its age is {@link CursorExpiredException}.
 */
@Component
public class Cursors {

  /** The local stack's key; refused in the production profile. */
  static final String DEVELOPMENT_KEY = "local-development-cursor-key";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
  private static final int VERSION = 1;
  // Far above any cursor we issue (a point-in-time id is a few hundred characters).
  private static final int MAX_LENGTH = 4096;
  private static final int MAX_SORT_VALUES = 4;
  private static final int MAX_PARTITIONS = 1024;

  private final SecretKeySpec key;
  private final Duration pointInTimeMaxAge;
  private final Duration stableMaxAge;
  private final Clock clock;

  @Autowired
  Cursors(
      @Value("${ledgerline.api.cursor-key}") String key,
      @Value("${ledgerline.api.cursor-max-age:PT10M}") Duration pointInTimeMaxAge,
      @Value("${ledgerline.api.stable-cursor-max-age:PT24H}") Duration stableMaxAge,
      Environment environment) {
    this(key, pointInTimeMaxAge, stableMaxAge, Clock.systemUTC());
    if (environment.acceptsProfiles(Profiles.of("production")) && DEVELOPMENT_KEY.equals(key)) {
      throw new IllegalStateException(
          "the development cursor key cannot be used in the production profile;"
              + " set LEDGERLINE_API_CURSOR_KEY");
    }
  }

  /**
   * @param key the signing key, shared by every query-side instance behind one load balancer
   * @param pointInTimeMaxAge how long a cursor holding a point in time stays valid
   * @param stableMaxAge how long a cursor over immutable sort values or offsets stays valid
   * @param clock the time cursors are issued and checked at
   */
  Cursors(String key, Duration pointInTimeMaxAge, Duration stableMaxAge, Clock clock) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("ledgerline.api.cursor-key must be set");
    }
    if (pointInTimeMaxAge.isNegative()
        || pointInTimeMaxAge.isZero()
        || stableMaxAge.isNegative()
        || stableMaxAge.isZero()) {
      throw new IllegalArgumentException("cursor max ages must be positive");
    }
    this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.pointInTimeMaxAge = pointInTimeMaxAge;
    this.stableMaxAge = stableMaxAge;
    this.clock = clock;
  }

  /** The cursor of a search page, for the next request of the same list and query. */
  public String encode(CursorScope scope, SearchCursor cursor) {
    ObjectNode state = JSON.createObjectNode();
    if (cursor.pointInTime() != null) {
      state.put("pit", cursor.pointInTime());
    }
    ArrayNode values = state.putArray("after");
    for (FieldValue value : cursor.after()) {
      if (value.isLong()) {
        values.addObject().put("l", value.longValue());
      } else if (value.isDouble()) {
        values.addObject().put("d", value.doubleValue());
      } else if (value.isString()) {
        values.addObject().put("s", value.stringValue());
      } else if (value.isBoolean()) {
        values.addObject().put("b", value.booleanValue());
      } else if (value.isNull()) {
        values.addObject().putNull("n");
      } else {
        throw new IllegalStateException("unexpected sort value kind " + value._kind());
      }
    }
    return sign(scope, state);
  }

  /**
   * The search position of a cursor a client sent back to the list and query of {@code scope}.
   *
   * @throws InvalidParameterException when it is not a cursor of this list and query
   * @throws CursorExpiredException when it is too old to continue from
   */
  public SearchCursor decode(CursorScope scope, String cursor) {
    JsonNode envelope = open(scope, cursor);
    JsonNode state = envelope.get("s");
    String pit = null;
    List<FieldValue> after = new ArrayList<>();
    try {
      if (state.has("pit")) {
        if (!state.get("pit").isTextual() || state.get("pit").asText().isEmpty()) {
          throw notOurs();
        }
        pit = state.get("pit").asText();
      }
      JsonNode values = state.get("after");
      if (values == null || !values.isArray()) {
        throw notOurs();
      }
      for (JsonNode value : values) {
        after.add(sortValue(value));
      }
    } catch (RuntimeException e) {
      throw notOurs();
    }
    if (after.isEmpty() || after.size() > MAX_SORT_VALUES) {
      throw notOurs();
    }
    requireFresh(envelope, pit != null ? pointInTimeMaxAge : stableMaxAge);
    return new SearchCursor(pit, after);
  }

  /** A cursor over per-partition Kafka offsets (partition to the next offset to read). */
  public String encodeOffsets(CursorScope scope, Map<Integer, Long> offsets) {
    ObjectNode state = JSON.createObjectNode();
    ObjectNode positions = state.putObject("o");
    new TreeMap<>(offsets)
        .forEach((partition, offset) -> positions.put(partition.toString(), offset));
    return sign(scope, state);
  }

  /**
   * The per-partition offsets of a cursor from {@link #encodeOffsets}.
   *
   * @throws InvalidParameterException when it is not a cursor of this list
   * @throws CursorExpiredException when it is too old to continue from
   */
  public Map<Integer, Long> decodeOffsets(CursorScope scope, String cursor) {
    JsonNode envelope = open(scope, cursor);
    JsonNode positions = envelope.get("s").get("o");
    if (positions == null || !positions.isObject() || positions.size() > MAX_PARTITIONS) {
      throw notOurs();
    }
    Map<Integer, Long> offsets = new TreeMap<>();
    try {
      for (Map.Entry<String, JsonNode> entry : positions.properties()) {
        int partition = Integer.parseInt(entry.getKey());
        JsonNode offset = entry.getValue();
        if (partition < 0
            || partition >= MAX_PARTITIONS
            || !offset.isIntegralNumber()
            || !offset.canConvertToLong()
            || offset.longValue() < 0) {
          throw notOurs();
        }
        offsets.put(partition, offset.longValue());
      }
    } catch (RuntimeException e) {
      throw notOurs();
    }
    requireFresh(envelope, stableMaxAge);
    return offsets;
  }

  private String sign(CursorScope scope, ObjectNode state) {
    ObjectNode envelope = JSON.createObjectNode();
    envelope.put("v", VERSION);
    envelope.put("l", scope.list());
    envelope.put("f", scope.fingerprint());
    envelope.put("t", clock.millis());
    envelope.set("s", state);
    try {
      String payload = BASE64.encodeToString(JSON.writeValueAsBytes(envelope));
      return payload + "." + signature(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a cursor", e);
    }
  }

  /** Checks signature, version, list and query of a cursor; returns its signed envelope. */
  private JsonNode open(CursorScope scope, String cursor) {
    if (cursor == null || cursor.isEmpty() || cursor.length() > MAX_LENGTH) {
      throw notOurs();
    }
    int dot = cursor.indexOf('.');
    if (dot <= 0 || dot != cursor.lastIndexOf('.')) {
      throw notOurs();
    }
    String payload = cursor.substring(0, dot);
    // Compares the text, not decoded bytes: base64 has more than one spelling of the same bytes.
    if (!MessageDigest.isEqual(
        signature(payload).getBytes(StandardCharsets.US_ASCII),
        cursor.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
      throw notOurs();
    }
    JsonNode envelope;
    try {
      envelope = JSON.readTree(Base64.getUrlDecoder().decode(payload));
    } catch (IOException | IllegalArgumentException e) {
      throw notOurs();
    }
    if (envelope == null
        || !envelope.isObject()
        || envelope.path("v").asInt() != VERSION
        || !envelope.path("t").isIntegralNumber()
        || !envelope.path("s").isObject()) {
      throw notOurs();
    }
    if (!scope.list().equals(envelope.path("l").asText())) {
      throw new InvalidParameterException(
          "cursor", "belongs to another list; start again without a cursor");
    }
    if (!scope.fingerprint().equals(envelope.path("f").asText())) {
      throw new InvalidParameterException(
          "cursor",
          "was issued for other filters or another sort; repeat that query or start again"
              + " without a cursor");
    }
    return envelope;
  }

  private void requireFresh(JsonNode envelope, Duration maxAge) {
    long age = clock.millis() - envelope.get("t").asLong();
    // Issued "in the future" beyond the age too: a clock that far off is no better than expired.
    if (age > maxAge.toMillis() || age < -maxAge.toMillis()) {
      throw new CursorExpiredException();
    }
  }

  private String signature(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return BASE64.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  private static FieldValue sortValue(JsonNode value) {
    if (value.has("l") && value.get("l").isIntegralNumber() && value.get("l").canConvertToLong()) {
      return FieldValue.of(value.get("l").longValue());
    } else if (value.has("d") && value.get("d").isNumber()) {
      return FieldValue.of(value.get("d").doubleValue());
    } else if (value.has("s") && value.get("s").isTextual()) {
      return FieldValue.of(value.get("s").asText());
    } else if (value.has("b") && value.get("b").isBoolean()) {
      return FieldValue.of(value.get("b").booleanValue());
    } else if (value.has("n") && value.get("n").isNull()) {
      return FieldValue.NULL;
    }
    throw notOurs();
  }

  private static InvalidParameterException notOurs() {
    return new InvalidParameterException("cursor", "is not a cursor issued by this API");
  }
}
