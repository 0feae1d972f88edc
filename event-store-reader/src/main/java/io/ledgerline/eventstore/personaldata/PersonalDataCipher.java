package io.ledgerline.eventstore.personaldata;

import io.ledgerline.events.SealedText;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens personal data with an owner's key: AES-256-GCM, a random 12-byte nonce per text,
 * a 128-bit tag, and as associated data the owner id and the field's name, so a sealed text moved
 * to another owner or another field does not open. The result is {@link SealedText}.
 */
public final class PersonalDataCipher {

  /** An owner's key: 256 bits. */
  public static final int KEY_BYTES = 32;

  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int TAG_BITS = SealedText.TAG_BYTES * 8;
  private static final byte[] CONTEXT =
      "ledgerline:personal-data:v1".getBytes(StandardCharsets.UTF_8);
  private static final SecureRandom RANDOM = new SecureRandom();

  private PersonalDataCipher() {}

  /** A new random key for an owner. */
  public static byte[] newKey() {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return key;
  }

  /**
   * Seals {@code text}, a value of {@code field} belonging to {@code ownerId}, under the owner's
   * key.
   *
   * @param keyId the id of {@code key}, written into the sealed text
   */
  public static SealedText seal(
      String keyId, byte[] key, String ownerId, String field, String text) {
    requireKey(key);
    byte[] nonce = new byte[SealedText.NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(ownerId, field));
      byte[] sealed = cipher.doFinal(text.getBytes(StandardCharsets.UTF_8));
      byte[] box = Arrays.copyOf(nonce, nonce.length + sealed.length);
      System.arraycopy(sealed, 0, box, nonce.length, sealed.length);
      return SealedText.of(keyId, box);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * Opens a sealed value of {@code field} belonging to {@code ownerId} with the owner's key.
   *
   * @throws UnreadableSealedTextException when it does not open: another key, owner or field, or a
   *     changed box
   */
  public static String open(byte[] key, String ownerId, String field, SealedText sealed) {
    requireKey(key);
    byte[] box = sealed.bytes();
    if (box.length < SealedText.NONCE_BYTES + SealedText.TAG_BYTES) {
      throw new UnreadableSealedTextException("the sealed text is too short");
    }
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, box, 0, SealedText.NONCE_BYTES));
      cipher.updateAAD(associatedData(ownerId, field));
      byte[] text =
          cipher.doFinal(box, SealedText.NONCE_BYTES, box.length - SealedText.NONCE_BYTES);
      return new String(text, StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new UnreadableSealedTextException(
          "the sealed text does not open under key "
              + sealed.keyId()
              + " for this owner and field");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /** The associated data: a context, the owner id and the field, each prefixed by its length. */
  static byte[] associatedData(String ownerId, String field) {
    byte[] owner = ownerId.getBytes(StandardCharsets.UTF_8);
    byte[] name = field.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(12 + CONTEXT.length + owner.length + name.length)
        .putInt(CONTEXT.length)
        .put(CONTEXT)
        .putInt(owner.length)
        .put(owner)
        .putInt(name.length)
        .put(name)
        .array();
  }

  private static void requireKey(byte[] key) {
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException("an owner's key is " + KEY_BYTES + " bytes");
    }
  }
}
