package io.ledgerline.platform.web.problem;

/** A request that is malformed in a way the body validation cannot see (a header, a path). */
public class InvalidRequestException extends RuntimeException {

  public InvalidRequestException(String message) {
    super(message, null, false, false);
  }
}
