package io.ledgerline.identity.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerline.identity.IdentityProperties;
import io.ledgerline.identity.StateFile;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

class UserDirectoryTest {

  private static final Duration RETENTION = Duration.ofMinutes(7);
  private static final List<IdentityProperties.User> USERS =
      List.of(
          new IdentityProperties.User("alice", "{noop}a", List.of("customer")),
          new IdentityProperties.User("adam", "{noop}b", List.of("admin", "auditor")));

  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock =
      new Clock() {
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
      };

  @TempDir Path state;

  @Test
  void aDisabledUserCannotSignInAndIsListedAsRevokedAsOfTheDisabling() {
    UserDirectory testSubject = new UserDirectory(USERS, clock, RETENTION, Optional.empty());

    Instant revokedAt = testSubject.disable("alice");

    assertThat(revokedAt).isEqualTo(now);
    assertThat(testSubject.isActive("alice")).isFalse();
    assertThat(testSubject.loadUserByUsername("alice").isEnabled()).isFalse();
    assertThat(testSubject.revocations()).containsEntry("alice", now);
    assertThat(testSubject.isActive("adam")).isTrue();
    assertThat(testSubject.loadUserByUsername("adam").getAuthorities())
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("ROLE_admin", "ROLE_auditor");
  }

  @Test
  void disablingTwiceKeepsTheFirstTimeAndEnablingKeepsOlderTokensRevoked() {
    UserDirectory testSubject = new UserDirectory(USERS, clock, RETENTION, Optional.empty());
    Instant first = testSubject.disable("alice");
    now = now.plusSeconds(30);

    assertThat(testSubject.disable("alice")).isEqualTo(first);
    testSubject.enable("alice");

    assertThat(testSubject.isActive("alice")).isTrue();
    assertThat(testSubject.revocations()).containsEntry("alice", first);
    // Disabled again later: tokens issued in between are revoked too.
    now = now.plusSeconds(30);
    assertThat(testSubject.disable("alice")).isEqualTo(now);
  }

  @Test
  void aRevocationLeavesTheListOnceEveryTokenItConcernsHasExpired() {
    UserDirectory testSubject = new UserDirectory(USERS, clock, RETENTION, Optional.empty());
    testSubject.disable("alice");

    now = now.plus(RETENTION).minusSeconds(1);
    assertThat(testSubject.revocations()).containsKey("alice");
    now = now.plusSeconds(1);
    assertThat(testSubject.revocations()).isEmpty();
    assertThat(testSubject.isActive("alice")).as("still disabled").isFalse();
  }

  @Test
  void disabledUsersAndRevocationsSurviveARestart() {
    Optional<StateFile> file = StateFile.in(state, "users.json");
    new UserDirectory(USERS, clock, RETENTION, file).disable("alice");

    UserDirectory after = new UserDirectory(USERS, clock, RETENTION, file);

    assertThat(after.isActive("alice")).isFalse();
    assertThat(after.revocations()).containsEntry("alice", now);
  }

  @Test
  void unknownUsersAreNeitherFoundNorDisabled() {
    UserDirectory testSubject = new UserDirectory(USERS, clock, RETENTION, Optional.empty());

    assertThatThrownBy(() -> testSubject.loadUserByUsername("mallory"))
        .isInstanceOf(UsernameNotFoundException.class);
    assertThatThrownBy(() -> testSubject.disable("mallory"))
        .isInstanceOf(NoSuchElementException.class);
    assertThat(testSubject.isActive("mallory")).isFalse();
  }
}
