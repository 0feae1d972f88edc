package io.ledgerline.query.api;

/** The requested read-model entry does not exist (yet). */
public class NotFoundException extends RuntimeException {

  public NotFoundException(String message) {
    super(message, null, false, false);
  }
}
