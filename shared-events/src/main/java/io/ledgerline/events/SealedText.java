package io.ledgerline.events;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Personal data as an event stores it: sealed (encrypted and authenticated with AES-GCM) under a
 * key of the owner it belongs to, and written as one JSON string, {@code
 * pd:v1:<keyId>:<base64url(nonce || ciphertext || tag)>}. Only the format lives here: sealing and
 * opening need the owner's key, which lives outside the event store (event-store-reader's {@code
 * io.ledgerline.eventstore.personaldata}). Destroying that key erases every text sealed with it
 * without changing a stored event, so the hash chain over the stored events stays intact.
 *
 * <p>Which event fields are sealed is {@link PersonalFields}. A value of such a field that does not
 * parse as sealed text was stored in clear before the field was sealed (its event's first
 * revision): readers show it as it is.
 *
 * @param keyId the id of the owner's key ({@code [A-Za-z0-9-]}, 1 to 64 characters)
 * @param box the 12-byte nonce, the ciphertext and the 16-byte tag, base64url without padding
 */
public record SealedText(String keyId, String box) {

  /** What every sealed text starts with: the format and its version. */
  public static final String PREFIX = "pd:v1:";

  /** The bytes of the AES-GCM nonce at the start of the box. */
  public static final int NONCE_BYTES = 12;

  /** The bytes of the AES-GCM authentication tag at the end of the box. */
  public static final int TAG_BYTES = 16;

  /**
   * The whole string as a regular expression, as the published contract states it ({@code
   * docs/asyncapi.yaml}): a box holds at least a nonce and a tag, 28 bytes, 38 base64url
   * characters.
   */
  public static final String PATTERN = "^pd:v1:[A-Za-z0-9-]{1,64}:[A-Za-z0-9_-]{38,}$";

  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final Pattern BOX = Pattern.compile("[A-Za-z0-9_-]{38,}");
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /**
   * @throws IllegalArgumentException when the key id or the box is not of the format
   */
  public SealedText {
    if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException("a sealed text's key id is 1 to 64 of [A-Za-z0-9-]");
    }
    if (box == null || !BOX.matcher(box).matches() || box.length() % 4 == 1) {
      throw new IllegalArgumentException(
          "a sealed text's box is base64url of at least " + (NONCE_BYTES + TAG_BYTES) + " bytes");
    }
  }

  /** The sealed text of {@code box} (nonce, ciphertext and tag) under the key {@code keyId}. */
  public static SealedText of(String keyId, byte[] box) {
    return new SealedText(keyId, ENCODER.encodeToString(box));
  }

  /**
   * Reads a sealed text from its string form.
   *
   * @throws IllegalArgumentException when {@code text} is not a sealed text, with the reason
   */
  public static SealedText parse(String text) {
    if (text == null || !text.startsWith(PREFIX)) {
      throw new IllegalArgumentException("a sealed text starts with " + PREFIX);
    }
    int colon = text.indexOf(':', PREFIX.length());
    if (colon < 0) {
      throw new IllegalArgumentException("a sealed text is " + PREFIX + "<keyId>:<box>");
    }
    return new SealedText(text.substring(PREFIX.length(), colon), text.substring(colon + 1));
  }

  /** The sealed text {@code text} stands for, or empty when it is none (null, or clear text). */
  public static Optional<SealedText> tryParse(String text) {
    if (text == null || !text.startsWith(PREFIX)) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(text));
    } catch (IllegalArgumentException notSealed) {
      return Optional.empty();
    }
  }

  /** Whether {@code text} is a sealed text. */
  public static boolean isSealed(String text) {
    return tryParse(text).isPresent();
  }

  /**
   * Checks that a personal field holds sealed text or nothing: never clear text.
   *
   * @return {@code text} itself
   * @throws IllegalArgumentException when it is clear text
   */
  public static String requireSealedOrNull(String text, String field) {
    if (text != null && !isSealed(text)) {
      throw new IllegalArgumentException(field + " must be sealed personal data, never clear text");
    }
    return text;
  }

  /** The nonce, ciphertext and tag. */
  public byte[] bytes() {
    return DECODER.decode(box);
  }

  /** The string form, as events store it. */
  public String text() {
    return PREFIX + keyId + ":" + box;
  }

  @Override
  public String toString() {
    return text();
  }
}
