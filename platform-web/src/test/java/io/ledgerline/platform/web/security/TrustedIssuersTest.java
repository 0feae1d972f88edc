package io.ledgerline.platform.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

class TrustedIssuersTest {

  private final List<String> decodedBy = new ArrayList<>();

  private final TrustedIssuers testSubject =
      new TrustedIssuers(
          Map.of(
              "ledgerline-local",
              decoder("ledgerline-local"),
              "http://idp",
              decoder("http://idp")));

  @Test
  void eachTokenGoesToItsIssuersDecoder() {
    testSubject.decode(unsigned("{\"iss\":\"http://idp\",\"sub\":\"alice\"}"));
    testSubject.decode(unsigned("{\"iss\":\"ledgerline-local\",\"sub\":\"alice\"}"));

    assertThat(decodedBy).containsExactly("http://idp", "ledgerline-local");
  }

  @Test
  void aTokenOfAnyOtherIssuerOrOfNoneIsABadToken() {
    for (String claims :
        List.of(
            "{\"iss\":\"https://evil.example\",\"sub\":\"alice\"}",
            "{\"iss\":\"http://idp/\",\"sub\":\"alice\"}",
            "{\"sub\":\"alice\"}")) {
      assertThatThrownBy(() -> testSubject.decode(unsigned(claims)))
          .as(claims)
          .isInstanceOf(BadJwtException.class)
          .hasMessageContaining("not trusted");
    }
    assertThatThrownBy(() -> testSubject.decode("not-a-jwt")).isInstanceOf(BadJwtException.class);
    assertThat(decodedBy).isEmpty();
  }

  @Test
  void aDiscoveredIssuerIsLookedUpAtItsFirstTokenAndRetriedAfterAFailureNotBefore() {
    AtomicInteger discoveries = new AtomicInteger();
    boolean[] up = {false};
    RevocationListTest.MutableClock clock =
        new RevocationListTest.MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
    DiscoveredIssuer issuer =
        new DiscoveredIssuer(
            "http://idp",
            () -> {
              discoveries.incrementAndGet();
              if (!up[0]) {
                throw new IllegalStateException("connection refused");
              }
              return decoder("http://idp");
            },
            Duration.ofSeconds(5),
            clock);
    assertThat(discoveries).as("nothing at start-up").hasValue(0);

    assertThatThrownBy(() -> issuer.decode("t"))
        .isInstanceOf(JwtException.class)
        .isNotInstanceOf(BadJwtException.class)
        .hasMessageContaining("connection refused");
    up[0] = true;
    assertThatThrownBy(() -> issuer.decode("t")).hasMessageContaining("retrying soon");
    assertThat(discoveries).hasValue(1);

    clock.now = clock.now.plusSeconds(5);
    issuer.decode("t");
    issuer.decode("t");
    assertThat(discoveries).as("discovered once, then kept").hasValue(2);
  }

  private JwtDecoder decoder(String issuer) {
    return token -> {
      decodedBy.add(issuer);
      return Jwt.withTokenValue(token)
          .header("alg", "RS256")
          .issuer(issuer)
          .expiresAt(Instant.now().plusSeconds(60))
          .build();
    };
  }

  private static String unsigned(String claims) {
    return java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"none\"}".getBytes())
        + "."
        + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes())
        + ".";
  }
}
