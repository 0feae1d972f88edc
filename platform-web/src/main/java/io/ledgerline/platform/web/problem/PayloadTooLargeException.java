package io.ledgerline.platform.web.problem;

import java.io.IOException;

/** Raised while reading a request body that is larger than the configured limit: a 413 problem. */
public class PayloadTooLargeException extends IOException {

  public PayloadTooLargeException(long limit) {
    super("request body exceeds " + limit + " bytes");
  }
}
