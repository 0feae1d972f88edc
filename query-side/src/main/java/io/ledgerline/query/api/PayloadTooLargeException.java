package io.ledgerline.query.api;

import java.io.IOException;

/** Raised while reading a request body that is larger than the configured limit. */
class PayloadTooLargeException extends IOException {

  PayloadTooLargeException(long limit) {
    super("request body exceeds " + limit + " bytes");
  }
}
