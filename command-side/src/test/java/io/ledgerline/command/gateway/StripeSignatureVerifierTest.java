package io.ledgerline.command.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Stripe's scheme, computed here independently of the verifier: {@code v1} is the hex HMAC-SHA256
 * of {@code "<t>.<body>"} keyed with the whole {@code whsec_...} secret.
 */
class StripeSignatureVerifierTest {

  private static final String SECRET = "whsec_test_secret";
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final byte[] BODY =
      "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\"}"
          .getBytes(StandardCharsets.UTF_8);

  private final StripeSignatureVerifier testSubject =
      new StripeSignatureVerifier(
          SECRET, Duration.ofSeconds(300), Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void acceptsAPayloadSignedWithTheSecretJustNow() {
    long t = NOW.getEpochSecond() - 2;

    Instant signedAt = testSubject.verify(BODY, "t=" + t + ",v1=" + hmac(SECRET, t, BODY));

    assertThat(signedAt).isEqualTo(Instant.ofEpochSecond(t));
  }

  @Test
  void acceptsTheHeaderWithSpacesAndOtherSchemesBesideV1() {
    long t = NOW.getEpochSecond();

    testSubject.verify(
        BODY, "t=" + t + ", v1=" + hmac(SECRET, t, BODY) + ", v0=" + hmac("old", t, BODY));
  }

  @Test
  void oneMatchingV1AmongSeveralIsEnoughAsWhileASecretIsRolled() {
    long t = NOW.getEpochSecond();

    testSubject.verify(
        BODY, "t=" + t + ",v1=" + hmac("whsec_previous", t, BODY) + ",v1=" + hmac(SECRET, t, BODY));
  }

  @Test
  void refusesASignatureMadeWithAnotherSecret() {
    long t = NOW.getEpochSecond();

    assertRefused(
        "t=" + t + ",v1=" + hmac("whsec_forger", t, BODY),
        WebhookSignatureException.Reason.MISMATCH);
  }

  @Test
  void refusesAnAlteredPayload() {
    long t = NOW.getEpochSecond();
    String header = "t=" + t + ",v1=" + hmac(SECRET, t, BODY);
    byte[] altered =
        new String(BODY, StandardCharsets.UTF_8)
            .replace("succeeded", "payment_failed")
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> testSubject.verify(altered, header))
        .isInstanceOfSatisfying(
            WebhookSignatureException.class,
            e -> assertThat(e.reason()).isEqualTo(WebhookSignatureException.Reason.MISMATCH));
  }

  @Test
  void refusesASignatureWhoseTimestampWasChanged() {
    long t = NOW.getEpochSecond() - 1000;

    // A replay with a fresh t but the old signature does not match.
    assertRefused(
        "t=" + NOW.getEpochSecond() + ",v1=" + hmac(SECRET, t, BODY),
        WebhookSignatureException.Reason.MISMATCH);
  }

  @Test
  void refusesAGenuineButStaleSignatureAsAReplay() {
    long t = NOW.getEpochSecond() - 301;

    assertRefused(
        "t=" + t + ",v1=" + hmac(SECRET, t, BODY),
        WebhookSignatureException.Reason.OUTSIDE_TOLERANCE);
  }

  @Test
  void acceptsTheEdgeOfTheTolerance() {
    long t = NOW.getEpochSecond() - 300;

    testSubject.verify(BODY, "t=" + t + ",v1=" + hmac(SECRET, t, BODY));
  }

  @Test
  void refusesASignatureFromTheFutureBeyondTheTolerance() {
    long t = NOW.getEpochSecond() + 301;

    assertRefused(
        "t=" + t + ",v1=" + hmac(SECRET, t, BODY),
        WebhookSignatureException.Reason.OUTSIDE_TOLERANCE);
  }

  @Test
  void refusesAMissingHeader() {
    assertRefused(null, WebhookSignatureException.Reason.MISSING);
    assertRefused("  ", WebhookSignatureException.Reason.MISSING);
  }

  @Test
  void refusesMalformedHeaders() {
    long t = NOW.getEpochSecond();
    String v1 = hmac(SECRET, t, BODY);
    for (String header :
        new String[] {
          "v1=" + v1,
          "t=" + t,
          "t=" + t + ",v0=" + v1,
          "t=soon,v1=" + v1,
          "t=-5,v1=" + v1,
          "t=" + t + ",t=" + t + ",v1=" + v1,
          "t=" + t + ";v1=" + v1,
          "garbage",
          "t=" + t + ",v1=" + v1 + ",x".repeat(3000)
        }) {
      assertRefused(header, WebhookSignatureException.Reason.MALFORMED);
    }
  }

  @Test
  void refusesAnEmptyV1() {
    assertRefused("t=" + NOW.getEpochSecond() + ",v1=", WebhookSignatureException.Reason.MISMATCH);
  }

  @Test
  void needsASecret() {
    assertThatThrownBy(
            () -> new StripeSignatureVerifier(" ", Duration.ofSeconds(1), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void assertRefused(String header, WebhookSignatureException.Reason reason) {
    assertThatThrownBy(() -> testSubject.verify(BODY, header))
        .as(String.valueOf(header))
        .isInstanceOfSatisfying(
            WebhookSignatureException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  static String hmac(String secret, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
