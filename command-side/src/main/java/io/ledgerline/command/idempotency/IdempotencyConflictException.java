package io.ledgerline.command.idempotency;

/** The idempotency key was already used for a different request. */
public class IdempotencyConflictException extends RuntimeException {

  public IdempotencyConflictException(String key) {
    super(
        "Idempotency-Key '" + key + "' was already used for a different request",
        null,
        false,
        false);
  }
}
