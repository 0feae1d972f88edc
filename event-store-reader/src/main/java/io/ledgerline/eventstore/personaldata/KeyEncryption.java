package io.ledgerline.eventstore.personaldata;

/**
 * How owners' keys are protected at rest in {@code owner_data_key}: wrapped under a key-encryption
 * key that never touches the database, or not at all. Shaped like a KMS: a key is wrapped once,
 * when it is created, and unwrapped whenever it is read. To keep the key-encryption key in a real
 * KMS, declare a bean of this type whose {@link #wrap} and {@link #unwrap} call the KMS's encrypt
 * and decrypt with the key id as encryption context (AWS KMS, Google Cloud KMS, Vault's transit
 * engine); the auto-configured one ({@link #none()}, or {@link MasterKeyEncryption} when {@code
 * ledgerline.personal-data.master-key} is set) backs off.
 *
 * <p>Erasure does not depend on it: an erased owner's row holds no key at all, wrapped or not.
 */
public interface KeyEncryption {

  /**
   * Stored with each key it wraps ({@code key_wrapping}), so a key is unwrapped by what wrapped it.
   */
  String name();

  /** The form of {@code key} to store. */
  byte[] wrap(String keyId, byte[] key);

  /**
   * The key a stored form stands for.
   *
   * @param wrapping the {@link #name()} stored with it
   * @throws IllegalStateException when this encryption cannot unwrap what {@code wrapping} wrapped
   */
  byte[] unwrap(String keyId, String wrapping, byte[] stored);

  /** Keys stored as they are, protected by the database's access rights only. */
  static KeyEncryption none() {
    return Unwrapped.INSTANCE;
  }

  /** {@link #none()}. */
  final class Unwrapped implements KeyEncryption {

    /** The {@code key_wrapping} of a key stored as it is. */
    public static final String NAME = "none";

    private static final Unwrapped INSTANCE = new Unwrapped();

    private Unwrapped() {}

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public byte[] wrap(String keyId, byte[] key) {
      return key.clone();
    }

    @Override
    public byte[] unwrap(String keyId, String wrapping, byte[] stored) {
      if (!NAME.equals(wrapping)) {
        throw new IllegalStateException(
            "key "
                + keyId
                + " is wrapped by "
                + wrapping
                + ", but no key-encryption key is configured (ledgerline.personal-data.master-key"
                + " or a KeyEncryption bean)");
      }
      return stored.clone();
    }
  }
}
