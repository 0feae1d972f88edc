package io.ledgerline.command.gateway;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies Stripe's webhook signatures: the header {@code Stripe-Signature: t=<unix seconds>,
 * v1=<hex>[,v1=<hex>...][,v0=...]} holds one or more {@code v1} signatures, each the hex
 * HMAC-SHA256 of {@code "<t>.<raw body>"} keyed with the endpoint's signing secret (several appear
 * while a secret is being rolled; one match is enough; other schemes are ignored). The signature is
 * checked before the time, and the time against a tolerance either way of now, so an old webhook
 * sent again is refused. Comparisons take constant time.
 */
public final class StripeSignatureVerifier {

  /** Stripe's libraries' default tolerance. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  // Longer headers are not Stripe's; refusing them early bounds the work an attacker can cause.
  private static final int MAX_HEADER_LENGTH = 4096;
  private static final Pattern SECONDS = Pattern.compile("\\d{1,12}");

  private final byte[] secret;
  private final Duration tolerance;
  private final Clock clock;

  /**
   * @param secret the endpoint's signing secret ({@code whsec_...}), used whole as the HMAC key
   * @param tolerance how far the signed time may lie from now, either way
   * @param clock what "now" is
   */
  public StripeSignatureVerifier(String secret, Duration tolerance, Clock clock) {
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("a webhook signing secret is needed");
    }
    if (tolerance.isNegative() || tolerance.isZero()) {
      throw new IllegalArgumentException("the tolerance must be positive");
    }
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.tolerance = tolerance;
    this.clock = Objects.requireNonNull(clock);
  }

  /**
   * Checks that {@code payload}, exactly as received, is what the gateway signed, recently.
   *
   * @param payload the request body's bytes, unparsed
   * @param header the {@code Stripe-Signature} header, or null when there was none
   * @return when the gateway signed it
   * @throws WebhookSignatureException when it does not prove that
   */
  public Instant verify(byte[] payload, String header) {
    if (header == null || header.isBlank()) {
      throw new WebhookSignatureException(
          WebhookSignatureException.Reason.MISSING, "no Stripe-Signature header");
    }
    if (header.length() > MAX_HEADER_LENGTH) {
      throw malformed("the Stripe-Signature header is too long");
    }
    String timestamp = null;
    List<String> signatures = new ArrayList<>();
    for (String item : header.split(",")) {
      int equals = item.indexOf('=');
      if (equals <= 0) {
        throw malformed("the Stripe-Signature header is not a list of key=value pairs");
      }
      String key = item.substring(0, equals).trim();
      String value = item.substring(equals + 1).trim();
      if (key.equals("t")) {
        if (timestamp != null) {
          throw malformed("the Stripe-Signature header has more than one timestamp");
        }
        timestamp = value;
      } else if (key.equals("v1")) {
        signatures.add(value.toLowerCase(Locale.ROOT));
      }
    }
    if (timestamp == null || !SECONDS.matcher(timestamp).matches()) {
      throw malformed("the Stripe-Signature header has no timestamp t=<unix seconds>");
    }
    if (signatures.isEmpty()) {
      throw malformed("the Stripe-Signature header has no v1 signature");
    }
    byte[] expected = expectedSignature(timestamp, payload);
    boolean matched = false;
    for (String signature : signatures) {
      // Every candidate is compared, so the time taken does not tell which one came close.
      matched |= MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }
    if (!matched) {
      throw new WebhookSignatureException(
          WebhookSignatureException.Reason.MISMATCH,
          "no v1 signature matches the payload under the endpoint's secret");
    }
    Instant signedAt = Instant.ofEpochSecond(Long.parseLong(timestamp));
    Instant now = clock.instant();
    if (signedAt.isBefore(now.minus(tolerance)) || signedAt.isAfter(now.plus(tolerance))) {
      throw new WebhookSignatureException(
          WebhookSignatureException.Reason.OUTSIDE_TOLERANCE,
          "signed at "
              + signedAt
              + ", more than "
              + tolerance.toSeconds()
              + " s from now ("
              + now
              + ")");
    }
    return signedAt;
  }

  /** The lower-case hex HMAC-SHA256 of {@code "<timestamp>.<payload>"}, as ASCII bytes. */
  private byte[] expectedSignature(String timestamp, byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) '.');
      byte[] digest = mac.doFinal(payload);
      return HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static WebhookSignatureException malformed(String message) {
    return new WebhookSignatureException(WebhookSignatureException.Reason.MALFORMED, message);
  }
}
