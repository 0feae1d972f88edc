package io.ledgerline.eventstore.personaldata;

/**
 * A sealed text that does not open under the key it names: sealed for another owner or field, or
 * changed since. Never the case of an erased owner, whose key is simply gone.
 */
public class UnreadableSealedTextException extends RuntimeException {

  public UnreadableSealedTextException(String message) {
    super(message, null, false, false);
  }
}
