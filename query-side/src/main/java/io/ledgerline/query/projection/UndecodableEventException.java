package io.ledgerline.query.projection;

/** A record on the event topic that is not a ledger event this version understands. */
public class UndecodableEventException extends RuntimeException {

  public UndecodableEventException(String message) {
    super(message);
  }

  public UndecodableEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
