package io.ledgerline.query.api;

/** The read model has not reached the version the client asked to read yet. */
public class ProjectionBehindException extends RuntimeException {

  private final long requested;
  private final long current;

  public ProjectionBehindException(String what, long requested, long current) {
    super(
        what + " is at version " + current + ", not yet at " + requested + "; retry shortly",
        null,
        false,
        false);
    this.requested = requested;
    this.current = current;
  }

  public long requested() {
    return requested;
  }

  public long current() {
    return current;
  }
}
