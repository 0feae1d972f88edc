package io.ledgerline.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch._types.FieldValue;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a cursor must hold beyond a valid signature. {@link SearchCursorTest} covers forged, foreign
 * and garbled cursors; these are signed with the right key, as a leaked key or a bug of ours would
 * sign them, and must still be refused when their content is not a cursor.
 */
class CursorsTest {

  private static final String KEY = "test-cursor-key";
  private static final Instant NOW = Instant.parse("2026-01-31T12:00:00Z");
  private static final CursorScope ACCOUNTS = CursorScope.of("accounts", "alice", "balance");
  private static final CursorScope DEAD_LETTERS = CursorScope.of("dead-letters");

  private final Cursors testSubject = cursorsAt(NOW);

  @Test
  void aHandSignedCursorOfTheRightShapeIsAccepted() {
    // The control for every refusal below: the test signs the way Cursors does.
    SearchCursor decoded =
        testSubject.decode(
            ACCOUNTS,
            signed(envelope(ACCOUNTS, "{\"pit\":\"p\",\"after\":[{\"l\":7},{\"s\":\"a-1\"}]}")));

    assertThat(decoded.pointInTime()).isEqualTo("p");
    assertThat(decoded.after()).extracting(FieldValue::_get).containsExactly(7L, "a-1");
  }

  @Test
  void extremeSortValuesRoundTripExactly() {
    SearchCursor cursor =
        new SearchCursor(
            null,
            List.of(
                FieldValue.of(Long.MIN_VALUE),
                FieldValue.of(Long.MAX_VALUE),
                FieldValue.of(-0.1),
                FieldValue.of("")));

    SearchCursor decoded = testSubject.decode(ACCOUNTS, testSubject.encode(ACCOUNTS, cursor));

    assertThat(decoded.after().get(0).longValue()).isEqualTo(Long.MIN_VALUE);
    assertThat(decoded.after().get(1).longValue()).isEqualTo(Long.MAX_VALUE);
    assertThat(decoded.after().get(2).doubleValue()).isEqualTo(-0.1);
    assertThat(decoded.after().get(3).stringValue()).isEmpty();
  }

  @Test
  void aCursorContinuesAfterOneToFourSortValues() {
    String four = "{\"after\":[{\"l\":1},{\"l\":2},{\"l\":3},{\"l\":4}]}";

    assertThat(testSubject.decode(ACCOUNTS, signed(envelope(ACCOUNTS, four))).after()).hasSize(4);
    assertInvalid(ACCOUNTS, signed(envelope(ACCOUNTS, "{\"after\":[]}")));
    assertInvalid(
        ACCOUNTS,
        signed(
            envelope(ACCOUNTS, "{\"after\":[{\"l\":1},{\"l\":2},{\"l\":3},{\"l\":4},{\"l\":5}]}")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"l\":\"12\"}",
        "{\"l\":1.5}",
        "{\"l\":99999999999999999999}",
        "{\"d\":\"1.5\"}",
        "{\"s\":12}",
        "{\"s\":null}",
        "{\"b\":\"true\"}",
        "{\"n\":0}",
        "{\"x\":1}",
        "{}",
        "\"a-1\"",
        "12",
        "null",
        "[]"
      })
  void aSortValueOfAnUnknownKindIsRefused(String value) {
    assertInvalid(ACCOUNTS, signed(envelope(ACCOUNTS, "{\"after\":[{\"l\":1}," + value + "]}")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"after\":{\"l\":1}}",
        "{\"after\":\"1\"}",
        "{\"after\":null}",
        "{\"pit\":42,\"after\":[{\"l\":1}]}",
        "{\"pit\":\"\",\"after\":[{\"l\":1}]}",
        "{\"pit\":null,\"after\":[{\"l\":1}]}",
        "{\"o\":{\"0\":1}}"
      })
  void aPositionOfTheWrongShapeIsRefused(String state) {
    assertInvalid(ACCOUNTS, signed(envelope(ACCOUNTS, state)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "null",
        "[]",
        "{\"v\":2,\"l\":\"accounts\",\"f\":\"%s\",\"t\":%d,\"s\":{\"after\":[{\"l\":1}]}}",
        "{\"l\":\"accounts\",\"f\":\"%s\",\"t\":%d,\"s\":{\"after\":[{\"l\":1}]}}",
        "{\"v\":1,\"l\":\"accounts\",\"f\":\"%s\",\"t\":\"%d\",\"s\":{\"after\":[{\"l\":1}]}}",
        "{\"v\":1,\"l\":\"accounts\",\"f\":\"%s\",\"t\":%d,\"s\":[{\"l\":1}]}",
        "{\"v\":1,\"l\":\"accounts\",\"f\":\"%s\",\"t\":%d}"
      })
  void anEnvelopeOfTheWrongShapeOrVersionIsRefused(String template) {
    String json =
        template.contains("%")
            ? template.formatted(ACCOUNTS.fingerprint(), NOW.toEpochMilli())
            : template;

    assertInvalid(ACCOUNTS, signed(json));
  }

  @Test
  void aSignedCursorOfAnotherListOrQueryIsRefused() {
    String state = "{\"after\":[{\"l\":1}]}";
    CursorScope otherQuery = CursorScope.of("accounts", "mallory", "balance");

    assertThatThrownBy(() -> testSubject.decode(ACCOUNTS, signed(envelope(DEAD_LETTERS, state))))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("another list");
    assertThatThrownBy(() -> testSubject.decode(ACCOUNTS, signed(envelope(otherQuery, state))))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("other filters");
  }

  @Test
  void aPointInTimeCursorIsGoodUpToItsMaxAgeToTheMillisecond() {
    String cursor =
        testSubject.encode(ACCOUNTS, new SearchCursor("pit", List.of(FieldValue.of(1L))));

    assertThat(cursorsAt(NOW.plus(Duration.ofMinutes(10))).decode(ACCOUNTS, cursor).after())
        .hasSize(1);
    assertThatThrownBy(
            () ->
                cursorsAt(NOW.plus(Duration.ofMinutes(10)).plusMillis(1)).decode(ACCOUNTS, cursor))
        .isInstanceOf(CursorExpiredException.class);
  }

  @Test
  void aCursorWithoutPointInTimeIsJudgedByTheLongerAge() {
    String cursor =
        testSubject.encode(ACCOUNTS, new SearchCursor(null, List.of(FieldValue.of(1L))));

    assertThat(cursorsAt(NOW.plus(Duration.ofHours(23))).decode(ACCOUNTS, cursor).after())
        .hasSize(1);
    assertThatThrownBy(
            () -> cursorsAt(NOW.plus(Duration.ofHours(24)).plusMillis(1)).decode(ACCOUNTS, cursor))
        .isInstanceOf(CursorExpiredException.class);
  }

  @Test
  void anExpiredCursorIsOnlyReportedOnceItIsKnownToBeOurs() {
    String old =
        signed(
            envelope(
                ACCOUNTS, NOW.minus(Duration.ofDays(3)).toEpochMilli(), "{\"after\":[{\"x\":1}]}"));

    // Content is checked before age: a malformed old cursor is a 400, not a 410.
    assertInvalid(ACCOUNTS, old);
  }

  @Test
  void offsetsRoundTripInPartitionOrder() {
    String cursor = testSubject.encodeOffsets(DEAD_LETTERS, Map.of(7, 3L, 0, 0L, 1023, 99L));

    assertThat(testSubject.decodeOffsets(DEAD_LETTERS, cursor))
        .containsExactly(Map.entry(0, 0L), Map.entry(7, 3L), Map.entry(1023, 99L));
    assertThat(
            testSubject.decodeOffsets(
                DEAD_LETTERS, testSubject.encodeOffsets(DEAD_LETTERS, Map.of())))
        .isEmpty();
    assertThatThrownBy(
            () ->
                cursorsAt(NOW.plus(Duration.ofHours(24)).plusMillis(1))
                    .decodeOffsets(DEAD_LETTERS, cursor))
        .isInstanceOf(CursorExpiredException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"o\":{\"0\":-1}}",
        "{\"o\":{\"-1\":0}}",
        "{\"o\":{\"1024\":0}}",
        "{\"o\":{\"x\":0}}",
        "{\"o\":{\"0\":\"5\"}}",
        "{\"o\":{\"0\":1.5}}",
        "{\"o\":{\"0\":99999999999999999999}}",
        "{\"o\":[0]}",
        "{\"after\":[{\"l\":1}]}"
      })
  void offsetsOfTheWrongShapeAreRefused(String state) {
    assertThatThrownBy(
            () -> testSubject.decodeOffsets(DEAD_LETTERS, signed(envelope(DEAD_LETTERS, state))))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("not a cursor issued by this API");
  }

  private static Cursors cursorsAt(Instant now) {
    return new Cursors(
        KEY, Duration.ofMinutes(10), Duration.ofHours(24), Clock.fixed(now, ZoneOffset.UTC));
  }

  private static String envelope(CursorScope scope, String state) {
    return envelope(scope, NOW.toEpochMilli(), state);
  }

  private static String envelope(CursorScope scope, long issuedAt, String state) {
    return "{\"v\":1,\"l\":\"%s\",\"f\":\"%s\",\"t\":%d,\"s\":%s}"
        .formatted(scope.list(), scope.fingerprint(), issuedAt, state);
  }

  /** {@code json} signed as Cursors signs: base64url payload, dot, base64url HMAC-SHA256 of it. */
  private static String signed(String json) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String payload = base64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return payload
          + "."
          + base64.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private void assertInvalid(CursorScope scope, String cursor) {
    assertThatThrownBy(() -> testSubject.decode(scope, cursor))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("not a cursor issued by this API");
  }
}
