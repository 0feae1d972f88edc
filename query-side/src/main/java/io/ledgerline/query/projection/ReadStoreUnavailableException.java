package io.ledgerline.query.projection;

/**
 * The read store failed in a way that passes (see {@link ReadStoreFailures}): the batch is retried
 * with back-off, without end, and nothing is parked.
 */
public class ReadStoreUnavailableException extends RuntimeException {

  ReadStoreUnavailableException(String projection, Throwable cause) {
    super("projection " + projection + ": the read store is unavailable: " + cause, cause);
  }
}
