package io.ledgerline.platform.web.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * The decoder of an OpenID Connect issuer, made from its discovery document when its first token
 * arrives, so a service starts (and serves every other issuer's tokens) while the provider is not
 * up yet. A failed discovery is tried again at the next token, but not more often than every {@code
 * retryAfter}; meanwhile its tokens fail as "cannot be checked now" (503), never as bad tokens.
 */
final class DiscoveredIssuer implements JwtDecoder {

  private final String issuer;
  private final Supplier<JwtDecoder> discovery;
  private final Duration retryAfter;
  private final Clock clock;
  private volatile JwtDecoder decoder;
  private Instant failedAt;

  DiscoveredIssuer(
      String issuer, Supplier<JwtDecoder> discovery, Duration retryAfter, Clock clock) {
    this.issuer = issuer;
    this.discovery = discovery;
    this.retryAfter = retryAfter;
    this.clock = clock;
  }

  @Override
  public Jwt decode(String token) throws JwtException {
    JwtDecoder known = decoder;
    return (known != null ? known : discover()).decode(token);
  }

  private synchronized JwtDecoder discover() {
    if (decoder != null) {
      return decoder;
    }
    Instant now = clock.instant();
    if (failedAt != null && now.isBefore(failedAt.plus(retryAfter))) {
      throw new JwtException("the metadata of " + issuer + " could not be read; retrying soon");
    }
    try {
      decoder = discovery.get();
      failedAt = null;
      return decoder;
    } catch (RuntimeException e) {
      failedAt = now;
      throw new JwtException("cannot read the metadata of " + issuer + ": " + e.getMessage(), e);
    }
  }
}
