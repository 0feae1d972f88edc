package io.ledgerline.eventstore.personaldata;

import io.ledgerline.events.SealedText;
import java.util.Optional;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Opens the personal fields of stored events ({@link io.ledgerline.events.PersonalFields}) for an
 * answer: sealed text under a live key is opened, under a destroyed key it is erased, and a value
 * that is not sealed text at all is the clear text of an event's first revision, shown as it is.
 * What opens is never stored anywhere; the events, read models and Kafka records keep the sealed
 * text.
 */
public class PersonalData {

  /** What a personal field holds, for a reader. */
  public enum State {
    /** Nothing: the field is null. */
    NONE,
    /** Clear text, stored before the field was sealed. */
    CLEAR,
    /** Sealed text, opened. */
    OPENED,
    /** Sealed text whose owner was erased: it can never be read again. */
    ERASED,
    /** Sealed text that does not open (a missing key, or a changed box); logged as a warning. */
    UNREADABLE
  }

  /**
   * A personal field as a reader sees it.
   *
   * @param state what it holds
   * @param value the clear text, or {@code null} unless {@code OPENED} or {@code CLEAR}
   */
  public record Opened(State state, String value) {

    static final Opened NONE = new Opened(State.NONE, null);
    static final Opened ERASED = new Opened(State.ERASED, null);
    static final Opened UNREADABLE = new Opened(State.UNREADABLE, null);

    /** Whether the field held personal data that was erased. */
    public boolean erased() {
      return state == State.ERASED;
    }
  }

  private static final Log log = LogFactory.getLog(PersonalData.class);

  private final OwnerKeyStore keys;

  public PersonalData(OwnerKeyStore keys) {
    this.keys = keys;
  }

  /** Opens {@code stored}, a stored value of the personal field {@code field}. */
  public Opened open(String stored, String field) {
    if (stored == null) {
      return Opened.NONE;
    }
    Optional<SealedText> sealed = SealedText.tryParse(stored);
    if (sealed.isEmpty()) {
      return new Opened(State.CLEAR, stored);
    }
    String keyId = sealed.get().keyId();
    Optional<OwnerKey> key = keys.byKeyId(keyId);
    if (key.isEmpty()) {
      log.warn("No key " + keyId + " for a sealed " + field + ": it cannot be opened");
      return Opened.UNREADABLE;
    }
    if (key.get().erased()) {
      return Opened.ERASED;
    }
    try {
      return new Opened(
          State.OPENED,
          PersonalDataCipher.open(key.get().key(), key.get().ownerId(), field, sealed.get()));
    } catch (UnreadableSealedTextException e) {
      log.warn("A sealed " + field + " does not open: " + e.getMessage());
      return Opened.UNREADABLE;
    }
  }

  /** The owner's key, if one was ever created (remembered for a few seconds at most). */
  public Optional<OwnerKey> keyOf(String ownerId) {
    return keys.byOwner(ownerId);
  }

  /** Forgets what is remembered of the owner's key, as after erasing it. */
  public void forget(String ownerId) {
    keys.forget(ownerId);
  }
}
