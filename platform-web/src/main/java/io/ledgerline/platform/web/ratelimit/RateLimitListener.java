package io.ledgerline.platform.web.ratelimit;

/**
 * Told of every request the rate limiter refuses; platform-web's metrics count them ({@code
 * ledgerline.rate.limited}). Declare a bean of this type to be told instead.
 */
@FunctionalInterface
public interface RateLimitListener {

  /** Tells nobody. */
  RateLimitListener NONE = limit -> {};

  /** The bucket that was empty. */
  enum Limit {
    /** The remote address's, checked first. */
    ADDRESS,
    /** The address and token subject's. */
    SUBJECT
  }

  /** Called on the request's thread, before the 429 is written: keep it cheap. */
  void refused(Limit limit);
}
