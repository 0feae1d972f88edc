package io.ledgerline.command.gateway;

import java.util.Optional;

/**
 * A call to the payment gateway that did not succeed, by what the caller can do about it: a decline
 * is the customer's answer, an invalid request is ours to fix, an unavailable gateway may answer a
 * later retry (with the same idempotency key), a disabled one is not configured at all.
 */
public final class GatewayException extends RuntimeException {

  /** What kind of failure. */
  public enum Kind {
    /** The card or payment was declined ({@code card_error}); the code says why. */
    DECLINED,
    /**
     * The gateway refused the request itself: bad parameters, an unknown id, an idempotency key
     * reused with other parameters, a wrong API key. Repeating it unchanged will not help.
     */
    INVALID_REQUEST,
    /**
     * The gateway did not answer in time, could not be reached, answered 5xx or 429, or its circuit
     * breaker is open. The call may or may not have taken effect: repeat it with the same
     * idempotency key.
     */
    UNAVAILABLE,
    /** No gateway is configured ({@code ledgerline.gateway.api-base} and {@code api-key}). */
    DISABLED
  }

  private final Kind kind;
  private final String code;
  private final String requestId;

  public GatewayException(
      Kind kind, String message, String code, String requestId, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.code = code;
    this.requestId = requestId;
  }

  public Kind kind() {
    return kind;
  }

  /** The gateway's error or decline code, e.g. {@code insufficient_funds}, if it gave one. */
  public Optional<String> code() {
    return Optional.ofNullable(code);
  }

  /** The gateway's id of the failed request ({@code Request-Id}), for its support, if known. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  /** Whether the same call (with the same idempotency key) may succeed later. */
  public boolean isRetryable() {
    return kind == Kind.UNAVAILABLE;
  }
}
