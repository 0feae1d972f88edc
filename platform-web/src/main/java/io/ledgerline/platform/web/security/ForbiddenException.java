package io.ledgerline.platform.web.security;

/** The caller is authenticated but may not do this: a 403 problem. */
public class ForbiddenException extends RuntimeException {

  public ForbiddenException(String message) {
    super(message, null, false, false);
  }
}
