package io.ledgerline.command.personaldata;

import io.ledgerline.events.PersonalFields;
import io.ledgerline.eventstore.personaldata.PersonalDataCipher;

/** Personal data sealed as the controllers seal it, under a fixed test key, for command tests. */
public final class SealedTexts {

  public static final String KEY_ID = "test-key";

  private static final byte[] KEY = new byte[PersonalDataCipher.KEY_BYTES];

  private SealedTexts() {}

  /** {@code text} sealed as a reference (or reason) of alice's account. */
  public static String sealed(String text) {
    return sealed("alice", PersonalFields.REFERENCE, text);
  }

  /** {@code text} sealed as the value of {@code field} of {@code ownerId}. */
  public static String sealed(String ownerId, String field, String text) {
    return PersonalDataCipher.seal(KEY_ID, KEY, ownerId, field, text).text();
  }
}
