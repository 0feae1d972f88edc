package io.ledgerline.platform.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
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
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

class RevocationListTest {

  private static final String ISSUER = "http://127.0.0.1:9000";
  private static final Instant DISABLED = Instant.parse("2026-11-30T12:00:00.400Z");

  private final MutableClock clock = new MutableClock(DISABLED.plusSeconds(1));
  private final RevocationList testSubject =
      new RevocationList(
          URI.create(ISSUER + "/revocations"),
          ISSUER,
          Duration.ofSeconds(15),
          Duration.ofSeconds(2),
          clock);

  @Test
  void refusesAListedSubjectsTokensIssuedUpToTheRevocation() throws Exception {
    testSubject.accept(list(ISSUER, "bob", DISABLED));

    assertThat(testSubject.validate(token(ISSUER, "bob", DISABLED.minusSeconds(60))).hasErrors())
        .isTrue();
    // iat has whole seconds: the second of the revocation counts as before it.
    assertThat(testSubject.validate(token(ISSUER, "bob", DISABLED)).hasErrors()).isTrue();
    assertThat(testSubject.validate(token(ISSUER, "bob", DISABLED.plusSeconds(1))).hasErrors())
        .as("a token issued after the user was enabled again")
        .isFalse();
    assertThat(testSubject.validate(token(ISSUER, "alice", DISABLED)).hasErrors()).isFalse();
  }

  @Test
  void leavesOtherIssuersTokensAlone() throws Exception {
    testSubject.accept(list(ISSUER, "bob", DISABLED));
    clock.now = clock.now.plus(Duration.ofHours(1));

    Jwt developmentToken = token("ledgerline-local", "bob", DISABLED.minusSeconds(60));

    assertThat(testSubject.validate(developmentToken).hasErrors()).isFalse();
    assertThatNoException().isThrownBy(() -> testSubject.requireCurrent(developmentToken));
  }

  @Test
  void theIssuersTokensCannotBeCheckedWhileTheListIsTooOld() throws Exception {
    Jwt token = token(ISSUER, "alice", DISABLED);
    assertThatThrownBy(() -> testSubject.requireCurrent(token))
        .as("never read")
        .isInstanceOf(JwtException.class)
        .isNotInstanceOf(BadJwtException.class);

    testSubject.accept(list(ISSUER, "bob", DISABLED));
    clock.now = clock.now.plusSeconds(15);
    assertThatNoException().isThrownBy(() -> testSubject.requireCurrent(token));
    clock.now = clock.now.plusSeconds(1);
    assertThatThrownBy(() -> testSubject.requireCurrent(token))
        .hasMessageContaining("has not been read for 15 s")
        .isNotInstanceOf(BadJwtException.class);
  }

  @Test
  void aListOfAnotherIssuerOrAMalformedOneIsNotTaken() throws Exception {
    testSubject.accept(list(ISSUER, "bob", DISABLED));

    assertThatThrownBy(() -> testSubject.accept(list("https://evil.example", "alice", DISABLED)))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(
            () ->
                testSubject.accept(
                    "{\"issuer\":\"" + ISSUER + "\",\"revoked\":[{\"subject\":\"alice\"}]}"))
        .isInstanceOf(IOException.class);

    assertThat(testSubject.validate(token(ISSUER, "bob", DISABLED)).hasErrors()).isTrue();
    assertThat(testSubject.validate(token(ISSUER, "alice", DISABLED)).hasErrors()).isFalse();
  }

  @Test
  void aFailedReadKeepsTheLastListUntilItIsTooOld() throws Exception {
    RevocationList unreachable =
        new RevocationList(
            URI.create("http://127.0.0.1:1/revocations"),
            ISSUER,
            Duration.ofSeconds(15),
            Duration.ofMillis(500),
            clock);
    unreachable.accept(list(ISSUER, "bob", DISABLED));

    unreachable.refresh();

    assertThat(unreachable.validate(token(ISSUER, "bob", DISABLED)).hasErrors()).isTrue();
    assertThatNoException()
        .isThrownBy(() -> unreachable.requireCurrent(token(ISSUER, "a", DISABLED)));
  }

  @Test
  void aRevokedTokenIsRefusedEvenWhenTheCacheRemembersItAsVerified() throws Exception {
    List<String> verified = new ArrayList<>();
    Jwt bobs = token(ISSUER, "bob", DISABLED.minusSeconds(30));
    JwtDecoder verifier =
        value -> {
          verified.add(value);
          return bobs;
        };
    testSubject.accept(list(ISSUER, "someone-else", DISABLED));
    RevocationCheck decoder =
        new RevocationCheck(new VerifiedTokenCache(verifier, 10, clock), testSubject);
    assertThat(decoder.decode("bobs-token")).isSameAs(bobs);

    testSubject.accept(list(ISSUER, "bob", DISABLED));

    assertThatThrownBy(() -> decoder.decode("bobs-token"))
        .isInstanceOf(JwtValidationException.class)
        .hasMessageContaining("revoked");
    assertThat(verified).as("verified once, then answered from the cache").hasSize(1);
  }

  private static String list(String issuer, String subject, Instant revokedAt) {
    return "{\"issuer\":\""
        + issuer
        + "\",\"generatedAt\":\"2026-11-30T12:00:01Z\",\"revoked\":[{\"subject\":\""
        + subject
        + "\",\"revokedAt\":\""
        + revokedAt
        + "\"}]}";
  }

  private static Jwt token(String issuer, String subject, Instant issuedAt) {
    Instant iat = Instant.ofEpochSecond(issuedAt.getEpochSecond());
    return Jwt.withTokenValue("t")
        .header("alg", "RS256")
        .issuer(issuer)
        .subject(subject)
        .issuedAt(iat)
        .expiresAt(iat.plus(Duration.ofHours(2)))
        .build();
  }

  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
