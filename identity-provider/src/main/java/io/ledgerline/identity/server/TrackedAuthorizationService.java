package io.ledgerline.identity.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.springframework.lang.Nullable;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Spring Authorization Server's in-memory authorizations (codes, access and refresh tokens), plus
 * what it lacks: every authorization of one user can be removed at once, so that disabling a user
 * revokes their refresh tokens, and authorizations whose every token has expired are forgotten, so
 * the heap does not grow with each token issued. A restart forgets them all: users sign in again.
 */
final class TrackedAuthorizationService implements OAuth2AuthorizationService {

  // An authorization without a token yet (a pending request) is forgotten after this.
  private static final Duration PENDING = Duration.ofMinutes(10);

  private static final int SWEEP_EVERY = 64;

  private record Tracked(String principal, Instant expiresAt) {}

  private final InMemoryOAuth2AuthorizationService delegate =
      new InMemoryOAuth2AuthorizationService();
  private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
  private final AtomicInteger saves = new AtomicInteger();
  private final Clock clock;

  TrackedAuthorizationService(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void save(OAuth2Authorization authorization) {
    delegate.save(authorization);
    tracked.put(
        authorization.getId(),
        new Tracked(authorization.getPrincipalName(), expiresAt(authorization)));
    if (saves.incrementAndGet() % SWEEP_EVERY == 0) {
      forgetExpired();
    }
  }

  @Override
  public void remove(OAuth2Authorization authorization) {
    delegate.remove(authorization);
    tracked.remove(authorization.getId());
  }

  @Nullable
  @Override
  public OAuth2Authorization findById(String id) {
    return delegate.findById(id);
  }

  @Nullable
  @Override
  public OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
    return delegate.findByToken(token, tokenType);
  }

  /** Removes every authorization of {@code principal}; returns how many there were. */
  int removeAllOf(String principal) {
    int removed = 0;
    for (var entry : tracked.entrySet()) {
      if (entry.getValue().principal().equals(principal)) {
        OAuth2Authorization authorization = delegate.findById(entry.getKey());
        if (authorization != null) {
          delegate.remove(authorization);
          removed++;
        }
        tracked.remove(entry.getKey());
      }
    }
    return removed;
  }

  /** How many authorizations are held (for tests). */
  int size() {
    return tracked.size();
  }

  void forgetExpired() {
    Instant now = clock.instant();
    for (var entry : tracked.entrySet()) {
      if (!now.isBefore(entry.getValue().expiresAt())) {
        OAuth2Authorization authorization = delegate.findById(entry.getKey());
        if (authorization != null) {
          delegate.remove(authorization);
        }
        tracked.remove(entry.getKey());
      }
    }
  }

  private Instant expiresAt(OAuth2Authorization authorization) {
    OAuth2Authorization.Token<?> code = authorization.getToken(OAuth2AuthorizationCode.class);
    return Stream.of(code, authorization.getAccessToken(), authorization.getRefreshToken())
        .filter(token -> token != null)
        .map(OAuth2Authorization.Token::getToken)
        .map(OAuth2Token::getExpiresAt)
        .filter(at -> at != null)
        .max(Instant::compareTo)
        .orElse(clock.instant().plus(PENDING));
  }
}
