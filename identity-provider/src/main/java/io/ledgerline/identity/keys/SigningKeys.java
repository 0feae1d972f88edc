package io.ledgerline.identity.keys;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.ledgerline.identity.StateFile;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The provider's RSA signing keys. The newest signs every token; when a new one takes over ({@link
 * #rotate}), the one before stays published in the JWK set for {@code retention}, long enough for
 * every token it signed to expire, so a service that sees a new key id fetches the set again and
 * both old and new tokens verify. Kept in a state file, if there is one, so a restart neither
 * invalidates issued tokens nor forgets a rotation.
 */
public final class SigningKeys {

  private record Key(RSAKey jwk, Instant createdAt, Instant retiredAt) {

    boolean publishedAt(Instant now, Duration retention) {
      return retiredAt == null || now.isBefore(retiredAt.plus(retention));
    }
  }

  private final Clock clock;
  private final Duration retention;
  private final Optional<StateFile> state;
  private volatile List<Key> keys;

  /**
   * @param clock the clock key ages are judged by
   * @param retention how long a replaced key stays published: at least the longest lifetime of a
   *     token it signed, plus the services' clock skew
   * @param state where the keys are kept across restarts, if anywhere
   */
  public SigningKeys(Clock clock, Duration retention, Optional<StateFile> state) {
    this.clock = clock;
    this.retention = retention;
    this.state = state;
    List<Key> loaded = state.flatMap(StateFile::read).map(SigningKeys::parse).orElse(List.of());
    if (loaded.isEmpty()) {
      this.keys = List.of(new Key(generate(), clock.instant(), null));
      save();
    } else {
      this.keys = loaded;
      prune();
    }
  }

  /** The key that signs new tokens. */
  public RSAKey current() {
    List<Key> all = keys;
    return all.get(all.size() - 1).jwk();
  }

  /** The keys a verifier may meet: the current one and those replaced within the retention. */
  public List<RSAKey> published() {
    Instant now = clock.instant();
    return keys.stream().filter(k -> k.publishedAt(now, retention)).map(Key::jwk).toList();
  }

  /** Makes a new key the signing one; the previous one stays published for the retention. */
  public synchronized RSAKey rotate() {
    Instant now = clock.instant();
    List<Key> next = new ArrayList<>();
    for (Key key : keys) {
      next.add(key.retiredAt() == null ? new Key(key.jwk(), key.createdAt(), now) : key);
    }
    Key created = new Key(generate(), now, null);
    next.add(created);
    keys = List.copyOf(next);
    prune();
    return created.jwk();
  }

  /** Rotates when the signing key is older than {@code age}; returns whether it did. */
  public synchronized boolean rotateIfOlderThan(Duration age) {
    List<Key> all = keys;
    if (clock.instant().isBefore(all.get(all.size() - 1).createdAt().plus(age))) {
      return false;
    }
    rotate();
    return true;
  }

  /** The published keys, for the JWK set endpoint and for verifying the provider's own tokens. */
  public JWKSource<SecurityContext> publishedSource() {
    return (selector, context) -> selector.select(new JWKSet(new ArrayList<JWK>(published())));
  }

  /** Only the signing key: the encoder must find exactly one. */
  public JWKSource<SecurityContext> signingSource() {
    return (selector, context) -> selector.select(new JWKSet(current()));
  }

  private synchronized void prune() {
    Instant now = clock.instant();
    keys = keys.stream().filter(k -> k.publishedAt(now, retention)).toList();
    save();
  }

  private void save() {
    state.ifPresent(
        file -> {
          ObjectNode root = StateFile.json().createObjectNode();
          ArrayNode array = root.putArray("keys");
          for (Key key : keys) {
            ObjectNode entry = array.addObject();
            entry.set("jwk", StateFile.json().valueToTree(key.jwk().toJSONObject()));
            entry.put("createdAt", key.createdAt().toString());
            entry.put("retiredAt", key.retiredAt() == null ? null : key.retiredAt().toString());
          }
          file.write(root);
        });
  }

  private static List<Key> parse(JsonNode root) {
    List<Key> parsed = new ArrayList<>();
    for (JsonNode entry : root.path("keys")) {
      try {
        Map<String, Object> jwk =
            StateFile.json().convertValue(entry.get("jwk"), new TypeReference<>() {});
        JsonNode retired = entry.get("retiredAt");
        parsed.add(
            new Key(
                RSAKey.parse(jwk),
                Instant.parse(entry.get("createdAt").asText()),
                retired == null || retired.isNull() ? null : Instant.parse(retired.asText())));
      } catch (ParseException e) {
        throw new IllegalStateException("a stored signing key cannot be read", e);
      }
    }
    return parsed;
  }

  private static RSAKey generate() {
    try {
      return new RSAKeyGenerator(2048)
          .keyID(UUID.randomUUID().toString())
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.RS256)
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a signing key", e);
    }
  }
}
