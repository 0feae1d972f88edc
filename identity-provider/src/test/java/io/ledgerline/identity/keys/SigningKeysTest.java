package io.ledgerline.identity.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.RSAKey;
import io.ledgerline.identity.StateFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {

  private static final Duration RETENTION = Duration.ofMinutes(31);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @TempDir Path state;

  @Test
  void aRotatedKeyStaysPublishedUntilItsTokensHaveExpired() throws Exception {
    SigningKeys testSubject = new SigningKeys(clock, RETENTION, Optional.empty());
    RSAKey first = testSubject.current();

    clock.advance(Duration.ofMinutes(1));
    RSAKey second = testSubject.rotate();

    assertThat(testSubject.current().getKeyID()).isEqualTo(second.getKeyID());
    assertThat(testSubject.published())
        .extracting(RSAKey::getKeyID)
        .containsExactly(first.getKeyID(), second.getKeyID());
    // The encoder sees only the signing key, so it never has to choose.
    assertThat(
            testSubject
                .signingSource()
                .get(new JWKSelector(new JWKMatcher.Builder().build()), null))
        .extracting(jwk -> jwk.getKeyID())
        .containsExactly(second.getKeyID());

    clock.advance(RETENTION);
    assertThat(testSubject.published())
        .extracting(RSAKey::getKeyID)
        .containsExactly(second.getKeyID());
  }

  @Test
  void keysSurviveARestartAndTheirFileIsTheOwnersOnly() throws Exception {
    Optional<StateFile> file = StateFile.in(state, "signing-keys.json");
    SigningKeys before = new SigningKeys(clock, RETENTION, file);
    RSAKey first = before.current();
    RSAKey second = before.rotate();

    SigningKeys after = new SigningKeys(clock, RETENTION, file);

    assertThat(after.current()).isEqualTo(second);
    assertThat(after.published()).containsExactly(first, second);
    assertThat(after.current().isPrivate()).isTrue();
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state.resolve("signing-keys.json"))))
        .isEqualTo("rw-------");
  }

  @Test
  void aScheduledRotationWaitsForTheKeyToAge() {
    SigningKeys testSubject = new SigningKeys(clock, RETENTION, Optional.empty());
    String first = testSubject.current().getKeyID();

    assertThat(testSubject.rotateIfOlderThan(Duration.ofDays(1))).isFalse();
    clock.advance(Duration.ofDays(1));
    assertThat(testSubject.rotateIfOlderThan(Duration.ofDays(1))).isTrue();

    assertThat(testSubject.current().getKeyID()).isNotEqualTo(first);
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
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
