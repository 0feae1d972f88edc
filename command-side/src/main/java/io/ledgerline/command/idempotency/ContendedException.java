package io.ledgerline.command.idempotency;

/**
 * A command kept losing append races on a contended aggregate for longer than the command timeout:
 * nothing was applied and a retry is safe.
 */
public class ContendedException extends RuntimeException {

  ContendedException(Throwable lastConflict) {
    super("the aggregate stayed contended past the command timeout", lastConflict);
  }
}
