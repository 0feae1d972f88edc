package io.ledgerline.identity.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerline.identity.IdentityProperties;
import io.ledgerline.identity.StateFile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * The users from configuration, and which of them an admin disabled. A disabled user cannot sign in
 * or get a token by any grant, and the time of the disabling stays on the revocation list for
 * {@code revocationRetention}: long enough that every access token issued before it has expired, so
 * a service that refuses the listed subjects' older tokens refuses all that could still be valid.
 * Disabled users and revocations are kept in a state file, if there is one, so a restart forgets
 * neither.
 */
public final class UserDirectory implements UserDetailsService {

  /** A user as the admin API shows it. */
  public record Summary(String username, List<String> roles, boolean enabled, Instant disabledAt) {}

  private final Map<String, IdentityProperties.User> users = new LinkedHashMap<>();
  private final Map<String, Instant> disabled = new ConcurrentHashMap<>();
  private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration revocationRetention;
  private final Optional<StateFile> state;

  public UserDirectory(
      List<IdentityProperties.User> users,
      Clock clock,
      Duration revocationRetention,
      Optional<StateFile> state) {
    users.forEach(user -> this.users.put(user.username(), user));
    this.clock = clock;
    this.revocationRetention = revocationRetention;
    this.state = state;
    state.flatMap(StateFile::read).ifPresent(this::load);
  }

  @Override
  public UserDetails loadUserByUsername(String username) {
    IdentityProperties.User user = users.get(username);
    if (user == null) {
      throw new UsernameNotFoundException("no such user");
    }
    return User.withUsername(user.username())
        .password(user.password())
        .roles(user.roles().toArray(String[]::new))
        .disabled(disabled.containsKey(username))
        .build();
  }

  /** Whether {@code username} is a user who may get tokens now. */
  public boolean isActive(String username) {
    return users.containsKey(username) && !disabled.containsKey(username);
  }

  /** The roles a token of {@code username} carries. */
  public List<String> roles(String username) {
    IdentityProperties.User user = users.get(username);
    return user == null ? List.of() : user.roles();
  }

  public boolean exists(String username) {
    return users.containsKey(username);
  }

  /**
   * Disables a user and lists them as revoked as of now: the services refuse their tokens issued
   * until now. Disabling a disabled user changes nothing.
   *
   * @return the time their tokens count as revoked from
   * @throws NoSuchElementException for an unknown user
   */
  public synchronized Instant disable(String username) {
    requireKnown(username);
    Instant existing = disabled.get(username);
    if (existing != null) {
      return revoked.getOrDefault(username, existing);
    }
    Instant now = clock.instant();
    disabled.put(username, now);
    revoked.put(username, now);
    save();
    return now;
  }

  /** Lets a user sign in again; tokens issued before they were disabled stay revoked. */
  public synchronized void enable(String username) {
    requireKnown(username);
    if (disabled.remove(username) != null) {
      save();
    }
  }

  /** Subjects whose tokens issued up to the time given are revoked, for as long as that matters. */
  public Map<String, Instant> revocations() {
    Instant horizon = clock.instant().minus(revocationRetention);
    Map<String, Instant> current = new LinkedHashMap<>();
    revoked.forEach(
        (subject, at) -> {
          if (at.isAfter(horizon)) {
            current.put(subject, at);
          }
        });
    return current;
  }

  public List<Summary> summaries() {
    return users.values().stream()
        .map(
            user ->
                new Summary(
                    user.username(),
                    user.roles(),
                    !disabled.containsKey(user.username()),
                    disabled.get(user.username())))
        .toList();
  }

  private void requireKnown(String username) {
    if (!users.containsKey(username)) {
      throw new NoSuchElementException("no user " + username);
    }
  }

  private void load(JsonNode root) {
    root.path("disabled")
        .fields()
        .forEachRemaining(e -> disabled.put(e.getKey(), Instant.parse(e.getValue().asText())));
    root.path("revoked")
        .fields()
        .forEachRemaining(e -> revoked.put(e.getKey(), Instant.parse(e.getValue().asText())));
  }

  private void save() {
    state.ifPresent(
        file -> {
          Instant horizon = clock.instant().minus(revocationRetention);
          revoked.values().removeIf(at -> !at.isAfter(horizon));
          ObjectNode root = StateFile.json().createObjectNode();
          ObjectNode disabledNode = root.putObject("disabled");
          disabled.forEach((user, at) -> disabledNode.put(user, at.toString()));
          ObjectNode revokedNode = root.putObject("revoked");
          revoked.forEach((user, at) -> revokedNode.put(user, at.toString()));
          file.write(root);
        });
  }
}
