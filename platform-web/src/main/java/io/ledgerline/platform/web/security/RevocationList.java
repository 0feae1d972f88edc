package io.ledgerline.platform.web.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * The revocation list of one issuer, read from its {@code revocationUri} every few seconds and kept
 * in memory: subjects whose tokens issued up to a time are revoked (their user was disabled).
 * Checking a token is a map lookup, done on every request, after the verified-token cache. A token
 * of that issuer is refused when its subject is listed and it was issued ({@code iat}) at or before
 * the listed time, and cannot be checked at all (503) while the list last read is older than {@code
 * maxAge}: a revocation takes effect within the poll interval plus one read, and never later than
 * {@code maxAge}, even when the issuer cannot be reached. Tokens of other issuers pass untouched.
 *
 * <p>The list is JSON: {@code {"issuer": "...", "revoked": [{"subject": "...", "revokedAt":
 * "2026-01-01T00:00:00Z"}]}}; a list of another issuer is not taken.
 */
public final class RevocationList implements OAuth2TokenValidator<Jwt> {

  private static final Logger log = LoggerFactory.getLogger(RevocationList.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Snapshot(Map<String, Instant> revoked, Instant readAt) {}

  private final URI uri;
  private final String issuer;
  private final Duration maxAge;
  private final Duration readTimeout;
  private final Clock clock;
  private final HttpClient http;
  private volatile Snapshot snapshot;
  private volatile boolean failing;

  /**
   * @param uri where the list is read
   * @param issuer the issuer whose tokens it covers
   * @param maxAge how old the last read may be before that issuer's tokens cannot be checked
   * @param readTimeout how long one read may take
   * @param clock the clock the list's age is judged by
   */
  public RevocationList(
      URI uri, String issuer, Duration maxAge, Duration readTimeout, Clock clock) {
    this.uri = uri;
    this.issuer = issuer;
    this.maxAge = maxAge;
    this.readTimeout = readTimeout;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(readTimeout).build();
  }

  public String issuer() {
    return issuer;
  }

  /** Reads the list again; on failure the last one stays until it is too old. */
  public void refresh() {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(readTimeout)
                  .header("Accept", "application/json")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      accept(response.body());
      if (failing) {
        log.info("The revocation list of {} is read again", issuer);
        failing = false;
      }
    } catch (IOException | RuntimeException e) {
      if (!failing) {
        log.warn("Cannot read the revocation list {}: {}", uri, e.toString());
        failing = true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Takes a list as read; package-private for tests. */
  void accept(String body) throws IOException {
    JsonNode root = JSON.readTree(body);
    if (!issuer.equals(root.path("issuer").asText(null))) {
      throw new IOException(
          "the list is of issuer " + root.path("issuer").asText(null) + ", not " + issuer);
    }
    Map<String, Instant> revoked = new HashMap<>();
    try {
      for (JsonNode entry : root.path("revoked")) {
        revoked.merge(
            entry.get("subject").asText(),
            Instant.parse(entry.get("revokedAt").asText()),
            (a, b) -> a.isAfter(b) ? a : b);
      }
    } catch (DateTimeParseException | NullPointerException e) {
      throw new IOException("malformed revocation list", e);
    }
    snapshot = new Snapshot(Map.copyOf(revoked), clock.instant());
  }

  /**
   * Fails (as "cannot be checked now", not as a bad token) when {@code jwt} is of this list's
   * issuer and the list was not read within {@code maxAge}.
   */
  public void requireCurrent(Jwt jwt) {
    if (!covers(jwt)) {
      return;
    }
    Snapshot current = snapshot;
    if (current == null || clock.instant().isAfter(current.readAt().plus(maxAge))) {
      throw new JwtException(
          "the revocation list of "
              + issuer
              + " has not been read for "
              + maxAge.toSeconds()
              + " s");
    }
  }

  @Override
  public OAuth2TokenValidatorResult validate(Jwt jwt) {
    Snapshot current = snapshot;
    if (!covers(jwt) || current == null) {
      return OAuth2TokenValidatorResult.success();
    }
    Instant revokedAt = current.revoked().get(jwt.getSubject());
    if (revokedAt == null) {
      return OAuth2TokenValidatorResult.success();
    }
    Instant issuedAt = jwt.getIssuedAt();
    // iat has whole seconds: a token of the second of the revocation counts as revoked.
    if (issuedAt == null || issuedAt.getEpochSecond() <= revokedAt.getEpochSecond()) {
      return OAuth2TokenValidatorResult.failure(
          new OAuth2Error("invalid_token", "the token was revoked", null));
    }
    return OAuth2TokenValidatorResult.success();
  }

  private boolean covers(Jwt jwt) {
    return issuer.equals(jwt.getClaimAsString("iss"));
  }
}
