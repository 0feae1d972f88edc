package io.ledgerline.query.api;

/** A genuine cursor that is too old to continue from: the client starts again from page one. */
public class CursorExpiredException extends RuntimeException {

  public CursorExpiredException() {
    super(
        "the cursor has expired; start again from the first page, without a cursor",
        null,
        false,
        false);
  }
}
