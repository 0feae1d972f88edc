package io.ledgerline.eventstore.personaldata;

import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How owners' keys are kept and read ({@code ledgerline.personal-data.*}).
 *
 * @param masterKey base64 of 32 random bytes: wraps every key created from now on ({@link
 *     MasterKeyEncryption}); every instance of both services needs the same one. Empty: keys are
 *     stored unwrapped, protected by the database's access rights only
 * @param keyCacheTtl how long a key read is used before it is read again, at most {@value
 *     #MAX_KEY_CACHE_TTL_SECONDS} s: the bound on how long another instance may still open an
 *     erased owner's data; {@code 0} reads the key for every text
 * @param keyCacheSize how many keys an instance remembers at most
 */
@ConfigurationProperties("ledgerline.personal-data")
public record PersonalDataProperties(
    String masterKey,
    @DefaultValue("PT5S") Duration keyCacheTtl,
    @DefaultValue("10000") int keyCacheSize) {

  /** The longest {@code key-cache-ttl}: erasure takes effect everywhere within it. */
  public static final long MAX_KEY_CACHE_TTL_SECONDS = 5;

  public PersonalDataProperties {
    if (keyCacheTtl == null) {
      keyCacheTtl = Duration.ofSeconds(MAX_KEY_CACHE_TTL_SECONDS);
    }
    if (keyCacheTtl.isNegative()
        || keyCacheTtl.compareTo(Duration.ofSeconds(MAX_KEY_CACHE_TTL_SECONDS)) > 0) {
      throw new IllegalArgumentException(
          "ledgerline.personal-data.key-cache-ttl must be between 0 and "
              + MAX_KEY_CACHE_TTL_SECONDS
              + " s: it bounds how long an erased owner's data stays readable");
    }
    if (keyCacheSize < 1) {
      throw new IllegalArgumentException(
          "ledgerline.personal-data.key-cache-size must be 1 or more");
    }
    if (masterKey != null && masterKey.isBlank()) {
      masterKey = null;
    }
    if (masterKey != null) {
      decode(masterKey);
    }
  }

  /** The master key's bytes, when one is configured. */
  public Optional<byte[]> masterKeyBytes() {
    return Optional.ofNullable(masterKey).map(PersonalDataProperties::decode);
  }

  private static byte[] decode(String base64) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException notBase64) {
      throw new IllegalArgumentException(
          "ledgerline.personal-data.master-key must be base64 (the key itself is not shown)");
    }
    if (key.length != 32) {
      throw new IllegalArgumentException(
          "ledgerline.personal-data.master-key must be 32 bytes, base64 (openssl rand -base64 32)");
    }
    return key;
  }

  /** Never the master key itself. */
  @Override
  public String toString() {
    return "PersonalDataProperties[masterKey="
        + (masterKey == null ? "none" : "set")
        + ", keyCacheTtl="
        + keyCacheTtl
        + ", keyCacheSize="
        + keyCacheSize
        + "]";
  }
}
