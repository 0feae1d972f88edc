package io.ledgerline.command.gateway;

/** A webhook whose {@code Stripe-Signature} does not prove it came from the gateway, and why. */
public final class WebhookSignatureException extends RuntimeException {

  /** Why the signature was refused. */
  public enum Reason {
    /** No {@code Stripe-Signature} header. */
    MISSING,
    /** A header without a timestamp or a {@code v1} signature, or not in Stripe's format. */
    MALFORMED,
    /**
     * No {@code v1} signature matches the payload under the endpoint's secret: forged or altered.
     */
    MISMATCH,
    /** Signed correctly, but further from now than the tolerance: a replay, or a skewed clock. */
    OUTSIDE_TOLERANCE
  }

  private final Reason reason;

  public WebhookSignatureException(Reason reason, String message) {
    // Expected under attack and carrying nothing to debug: no stack trace.
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
