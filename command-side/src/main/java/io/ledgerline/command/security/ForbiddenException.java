package io.ledgerline.command.security;

/** The caller is authenticated but may not do this. */
public class ForbiddenException extends RuntimeException {

  public ForbiddenException(String message) {
    super(message, null, false, false);
  }
}
