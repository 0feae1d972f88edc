package io.ledgerline.eventstore.personaldata;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Wraps owners' keys under a 256-bit master key from configuration ({@code
 * ledgerline.personal-data.master-key}): AES-GCM with a random nonce and the key id as associated
 * data, so a wrapped key copied to another row does not unwrap. Keys stored before a master key was
 * configured ({@code none}) are still read as they are.
 */
public final class MasterKeyEncryption implements KeyEncryption {

  /** The {@code key_wrapping} of a key wrapped under the master key. */
  public static final String NAME = "master-key-v1";

  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec masterKey;

  /**
   * @param masterKey 32 bytes
   */
  public MasterKeyEncryption(byte[] masterKey) {
    if (masterKey == null || masterKey.length != 32) {
      throw new IllegalArgumentException("the master key is 32 bytes (AES-256)");
    }
    this.masterKey = new SecretKeySpec(masterKey.clone(), "AES");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte[] wrap(String keyId, byte[] key) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, masterKey, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
      byte[] wrapped = cipher.doFinal(key);
      byte[] stored = Arrays.copyOf(nonce, NONCE_BYTES + wrapped.length);
      System.arraycopy(wrapped, 0, stored, NONCE_BYTES, wrapped.length);
      return stored;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot wrap key " + keyId, e);
    }
  }

  @Override
  public byte[] unwrap(String keyId, String wrapping, byte[] stored) {
    if (Unwrapped.NAME.equals(wrapping)) {
      return KeyEncryption.none().unwrap(keyId, wrapping, stored);
    }
    if (!NAME.equals(wrapping)) {
      throw new IllegalStateException("key " + keyId + " is wrapped by unknown " + wrapping);
    }
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(
          Cipher.DECRYPT_MODE, masterKey, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
      cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      // Another master key, or a wrapped key moved to another row: a configuration error.
      throw new IllegalStateException(
          "key " + keyId + " does not unwrap under the configured master key", e);
    }
  }
}
