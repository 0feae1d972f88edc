package io.ledgerline.platform.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class VerifiedTokenCacheTest {

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  private final List<String> verifications = new ArrayList<>();
  private final MutableClock clock = new MutableClock();

  private final JwtDecoder verifier =
      token -> {
        verifications.add(token);
        if (token.startsWith("bad")) {
          throw new BadJwtException("signature does not match");
        }
        return Jwt.withTokenValue(token)
            .header("alg", "RS256")
            .subject("alice")
            .issuedAt(NOW.minusSeconds(10))
            .expiresAt(NOW.plus(Duration.ofMinutes(5)))
            .build();
      };

  private final VerifiedTokenCache testSubject = new VerifiedTokenCache(verifier, 2, clock);

  @Test
  void canAnswerAReusedTokenWithoutVerifyingItAgain() {
    Jwt first = testSubject.decode("token-a");
    Jwt second = testSubject.decode("token-a");

    assertThat(second).isSameAs(first);
    assertThat(verifications).containsExactly("token-a");
  }

  @Test
  void cannotServeATokenPastItsExpiry() {
    testSubject.decode("token-a");
    clock.now = NOW.plus(Duration.ofMinutes(5));

    testSubject.decode("token-a");

    assertThat(verifications).containsExactly("token-a", "token-a");
  }

  @Test
  void cannotRememberATokenThatFailed() {
    assertThatThrownBy(() -> testSubject.decode("bad-token")).isInstanceOf(BadJwtException.class);
    assertThatThrownBy(() -> testSubject.decode("bad-token")).isInstanceOf(BadJwtException.class);

    assertThat(verifications).containsExactly("bad-token", "bad-token");
  }

  @Test
  void forgetsTheLeastRecentlyUsedTokenOnlyWhenFull() {
    testSubject.decode("token-a");
    testSubject.decode("token-b");
    testSubject.decode("token-a"); // a is now the most recently used
    testSubject.decode("token-c"); // evicts b only

    testSubject.decode("token-a");
    testSubject.decode("token-b");

    assertThat(verifications).containsExactly("token-a", "token-b", "token-c", "token-b");
  }

  private static final class MutableClock extends Clock {
    private Instant now = NOW;

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
