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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SearchCursorTest {

  private static final String KEY = "test-cursor-key";
  private static final Instant ISSUED = Instant.parse("2026-01-31T12:00:00Z");
  private static final CursorScope ACCOUNTS =
      CursorScope.of("accounts", "alice", "OPEN", null, null, null, "balance", "desc");
  private static final CursorScope TRANSFERS = CursorScope.of("transfers", null, null);
  private static final SearchCursor WITH_PIT =
      new SearchCursor(
          "pit-id==", List.of(FieldValue.of(1500L), FieldValue.of("acc-7"), FieldValue.NULL));
  private static final SearchCursor STABLE =
      new SearchCursor(null, List.of(FieldValue.of(1769860800000L), FieldValue.of("t-1")));

  private static Cursors cursorsAt(Instant now) {
    return cursorsAt(KEY, now);
  }

  private static Cursors cursorsAt(String key, Instant now) {
    return new Cursors(
        key, Duration.ofMinutes(10), Duration.ofHours(24), Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void aCursorRoundTrips() {
    Cursors cursors = cursorsAt(ISSUED);
    SearchCursor mixed =
        new SearchCursor(
            "pit",
            List.of(
                FieldValue.of(-3L), FieldValue.of(2.5), FieldValue.of("é x"), FieldValue.of(true)));

    SearchCursor decoded = cursors.decode(ACCOUNTS, cursors.encode(ACCOUNTS, mixed));

    assertThat(decoded.pointInTime()).isEqualTo("pit");
    assertThat(decoded.after()).hasSize(4);
    assertThat(decoded.after().get(0).longValue()).isEqualTo(-3L);
    assertThat(decoded.after().get(1).doubleValue()).isEqualTo(2.5);
    assertThat(decoded.after().get(2).stringValue()).isEqualTo("é x");
    assertThat(decoded.after().get(3).booleanValue()).isTrue();

    SearchCursor withNull = cursors.decode(ACCOUNTS, cursors.encode(ACCOUNTS, WITH_PIT));
    assertThat(withNull.after().get(2).isNull()).isTrue();
    assertThat(cursors.decode(TRANSFERS, cursors.encode(TRANSFERS, STABLE)).pointInTime()).isNull();
  }

  @Test
  void aCursorIsUrlSafe() {
    String cursor = cursorsAt(ISSUED).encode(ACCOUNTS, WITH_PIT);

    assertThat(cursor).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  }

  @Test
  void aChangedPayloadIsRefused() {
    Cursors cursors = cursorsAt(ISSUED);
    String cursor = cursors.encode(ACCOUNTS, WITH_PIT);
    String payload = cursor.substring(0, cursor.indexOf('.'));
    String signature = cursor.substring(cursor.indexOf('.') + 1);
    String json = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
    String forged =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(json.replace("1500", "1").getBytes(StandardCharsets.UTF_8));

    assertInvalid(cursors, ACCOUNTS, forged + "." + signature);
    // One character changed anywhere in the payload.
    for (int i = 0; i < payload.length(); i += 7) {
      char flipped = payload.charAt(i) == 'A' ? 'B' : 'A';
      assertInvalid(
          cursors,
          ACCOUNTS,
          payload.substring(0, i) + flipped + payload.substring(i + 1) + "." + signature);
    }
  }

  @Test
  void aChangedSignatureIsRefused() {
    Cursors cursors = cursorsAt(ISSUED);
    String cursor = cursors.encode(ACCOUNTS, WITH_PIT);
    int dot = cursor.indexOf('.');
    for (int i = dot + 1; i < cursor.length(); i++) {
      char flipped = cursor.charAt(i) == 'A' ? 'B' : 'A';
      assertInvalid(cursors, ACCOUNTS, cursor.substring(0, i) + flipped + cursor.substring(i + 1));
    }
    assertInvalid(cursors, ACCOUNTS, cursor.substring(0, dot + 1));
    assertInvalid(cursors, ACCOUNTS, cursor.substring(0, dot));
    assertInvalid(cursors, ACCOUNTS, cursor + "A");
  }

  @Test
  void aTruncatedCursorIsRefused() {
    Cursors cursors = cursorsAt(ISSUED);
    String cursor = cursors.encode(ACCOUNTS, WITH_PIT);
    for (int length = 0; length < cursor.length(); length += 5) {
      assertInvalid(cursors, ACCOUNTS, cursor.substring(0, length));
    }
  }

  @Test
  void aCursorSignedWithAnotherKeyIsRefused() {
    String foreign = cursorsAt("another-key", ISSUED).encode(ACCOUNTS, WITH_PIT);

    assertInvalid(cursorsAt(ISSUED), ACCOUNTS, foreign);
  }

  @Test
  void aCursorOfAnotherListIsRefused() {
    Cursors cursors = cursorsAt(ISSUED);
    String ofTransfers = cursors.encode(TRANSFERS, STABLE);

    assertThatThrownBy(() -> cursors.decode(ACCOUNTS, ofTransfers))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("another list")
        .extracting(e -> ((InvalidParameterException) e).parameter())
        .isEqualTo("cursor");
    assertThatThrownBy(() -> cursors.decodeOffsets(CursorScope.of("dead-letters"), ofTransfers))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void aCursorWithOtherFiltersOrSortIsRefused() {
    Cursors cursors = cursorsAt(ISSUED);
    String cursor = cursors.encode(ACCOUNTS, WITH_PIT);

    for (CursorScope other :
        List.of(
            CursorScope.of("accounts", "mallory", "OPEN", null, null, null, "balance", "desc"),
            CursorScope.of("accounts", "alice", null, null, null, null, "balance", "desc"),
            CursorScope.of("accounts", "alice", "OPEN", null, null, null, "balance", "asc"),
            CursorScope.of("accounts", "alice", "OPEN", null, null, null, "openedAt", "desc"),
            CursorScope.of("accounts", "alice", "OPEN", null, 0L, null, "balance", "desc"))) {
      assertThatThrownBy(() -> cursors.decode(other, cursor))
          .isInstanceOf(InvalidParameterException.class)
          .hasMessageContaining("other filters");
    }
  }

  @Test
  void fingerprintsTellParameterListsApart() {
    assertThat(CursorScope.of("l", "a", null)).isNotEqualTo(CursorScope.of("l", null, "a"));
    assertThat(CursorScope.of("l", "a,b")).isNotEqualTo(CursorScope.of("l", "a", "b"));
    assertThat(CursorScope.of("l", "ab", "c")).isNotEqualTo(CursorScope.of("l", "a", "bc"));
    assertThat(CursorScope.of("l", "a")).isEqualTo(CursorScope.of("l", "a"));
  }

  @Test
  void aPointInTimeCursorExpiresAfterItsMaxAge() {
    String cursor = cursorsAt(ISSUED).encode(ACCOUNTS, WITH_PIT);

    assertThat(cursorsAt(ISSUED.plus(Duration.ofMinutes(9))).decode(ACCOUNTS, cursor).after())
        .hasSize(3);
    assertThatThrownBy(
            () -> cursorsAt(ISSUED.plus(Duration.ofMinutes(11))).decode(ACCOUNTS, cursor))
        .isInstanceOf(CursorExpiredException.class)
        .hasMessageContaining("first page");
  }

  @Test
  void aStableCursorLastsLongerButExpiresToo() {
    String cursor = cursorsAt(ISSUED).encode(TRANSFERS, STABLE);

    assertThat(cursorsAt(ISSUED.plus(Duration.ofHours(1))).decode(TRANSFERS, cursor).after())
        .hasSize(2);
    assertThatThrownBy(() -> cursorsAt(ISSUED.plus(Duration.ofDays(2))).decode(TRANSFERS, cursor))
        .isInstanceOf(CursorExpiredException.class);
  }

  @Test
  void aCursorFromFarInTheFutureIsExpiredToo() {
    String cursor = cursorsAt(ISSUED.plus(Duration.ofHours(1))).encode(ACCOUNTS, WITH_PIT);

    assertThatThrownBy(() -> cursorsAt(ISSUED).decode(ACCOUNTS, cursor))
        .isInstanceOf(CursorExpiredException.class);
  }

  @Test
  void offsetsRoundTripAndRefuseTampering() {
    Cursors cursors = cursorsAt(ISSUED);
    CursorScope deadLetters = CursorScope.of("dead-letters");
    String cursor = cursors.encodeOffsets(deadLetters, Map.of(0, 12L, 3, 0L));

    assertThat(cursors.decodeOffsets(deadLetters, cursor)).isEqualTo(Map.of(0, 12L, 3, 0L));
    String payload = cursor.substring(0, cursor.indexOf('.'));
    String json = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
    String forged =
        Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(json.replace("12", "0").getBytes(StandardCharsets.UTF_8))
            + cursor.substring(cursor.indexOf('.'));
    assertInvalid(cursors, deadLetters, forged);
    assertThatThrownBy(() -> cursors.decode(deadLetters, cursor))
        .isInstanceOf(InvalidParameterException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        "..",
        "a.b",
        "a.b.c",
        "not a cursor",
        "%00",
        "eyJhZnRlciI6W3sieCI6MX1dfQ",
        "eyJhZnRlciI6W3sibCI6MX1dfQ",
        "eyJhZnRlciI6W3sibCI6MX1dfQ.AAAA",
        "eyJwaXQiOiJ4IiwiYWZ0ZXIiOlt7InMiOiJ4In1dfQ.c2lnbmF0dXJl",
        "////.////",
        "é.é"
      })
  void garbageIsRefused(String garbage) {
    assertInvalid(cursorsAt(ISSUED), ACCOUNTS, garbage);
  }

  @Test
  void anOversizedCursorIsRefusedWithoutBeingRead() {
    Cursors cursors = cursorsAt(ISSUED);
    String cursor = cursors.encode(ACCOUNTS, WITH_PIT);

    assertInvalid(cursors, ACCOUNTS, "A".repeat(10_000) + "." + "B".repeat(43));
    assertInvalid(cursors, ACCOUNTS, cursor + "A".repeat(5_000));
  }

  @Test
  void aKeyIsRequired() {
    assertThatThrownBy(() -> cursorsAt(" ", ISSUED)).isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertInvalid(Cursors cursors, CursorScope scope, String cursor) {
    assertThatThrownBy(() -> cursors.decode(scope, cursor))
        .as("cursor %s", cursor)
        .isInstanceOf(InvalidParameterException.class)
        .extracting(e -> ((InvalidParameterException) e).parameter())
        .isEqualTo("cursor");
  }
}
