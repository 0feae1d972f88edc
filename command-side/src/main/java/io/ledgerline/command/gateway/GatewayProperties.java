package io.ledgerline.command.gateway;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The payment gateway ({@code ledgerline.gateway.*}). Without an API base and key the gateway is
 * disabled: calls fail with {@link GatewayException.Kind#DISABLED}. Without a webhook secret every
 * webhook is refused.
 *
 * @param apiBase the API's base URL: {@code https://api.stripe.com}, or the local stack's simulator
 * @param apiKey the secret API key ({@code sk_test_...} or {@code sk_live_...})
 * @param webhookSecret the signing secret of the webhook endpoint ({@code whsec_...})
 * @param connectTimeout how long to wait for a connection (2 s)
 * @param readTimeout how long to wait for an answer once connected (5 s); a call that takes longer
 *     fails as unavailable and is retried with the same idempotency key
 * @param webhookTolerance how far a webhook's signed timestamp may be from now (5 min): an older
 *     one is refused as a replay
 * @param retry retries of calls that are safe to repeat
 * @param circuitBreaker when to stop calling a failing gateway
 */
@ConfigurationProperties("ledgerline.gateway")
public record GatewayProperties(
    String apiBase,
    String apiKey,
    String webhookSecret,
    Duration connectTimeout,
    Duration readTimeout,
    Duration webhookTolerance,
    Retry retry,
    CircuitBreaker circuitBreaker) {

  public GatewayProperties {
    apiBase = blankToNull(apiBase);
    apiKey = blankToNull(apiKey);
    webhookSecret = blankToNull(webhookSecret);
    connectTimeout = positive("connect-timeout", connectTimeout, Duration.ofSeconds(2));
    readTimeout = positive("read-timeout", readTimeout, Duration.ofSeconds(5));
    webhookTolerance =
        positive("webhook-tolerance", webhookTolerance, StripeSignatureVerifier.DEFAULT_TOLERANCE);
    retry = retry == null ? new Retry(null, null, null, null) : retry;
    circuitBreaker =
        circuitBreaker == null ? new CircuitBreaker(null, null, null, null, null) : circuitBreaker;
    if (apiBase != null) {
      URI uri = URI.create(apiBase);
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "ledgerline.gateway.api-base must be an http(s) URL, not " + apiBase);
      }
    }
  }

  /** A gateway with the default timeouts, retries and circuit breaker. */
  public static GatewayProperties of(String apiBase, String apiKey, String webhookSecret) {
    return new GatewayProperties(apiBase, apiKey, webhookSecret, null, null, null, null, null);
  }

  /** Whether calls can be made: an API base and key are configured. */
  public boolean enabled() {
    return apiBase != null && apiKey != null;
  }

  /** Whether webhooks can be verified: a signing secret is configured. */
  public boolean receivesWebhooks() {
    return webhookSecret != null;
  }

  @Override
  public String toString() {
    // Never the key or the secret.
    return "GatewayProperties[apiBase=" + apiBase + ", enabled=" + enabled() + "]";
  }

  /**
   * Retries, only of calls that are safe to repeat: with an idempotency key, or reads.
   *
   * @param maxAttempts attempts in all, the first included (3)
   * @param initialBackoff the wait before the first retry (200 ms), randomized by half either way
   * @param multiplier how the wait grows per retry (2)
   * @param maxBackoff the longest wait (2 s)
   */
  public record Retry(
      Integer maxAttempts, Duration initialBackoff, Double multiplier, Duration maxBackoff) {

    public Retry {
      maxAttempts = atLeast("retry.max-attempts", maxAttempts, 1, 3);
      initialBackoff = positive("retry.initial-backoff", initialBackoff, Duration.ofMillis(200));
      multiplier = multiplier == null ? 2.0 : multiplier;
      if (multiplier < 1.0) {
        throw new IllegalArgumentException("ledgerline.gateway.retry.multiplier must be >= 1");
      }
      maxBackoff = positive("retry.max-backoff", maxBackoff, Duration.ofSeconds(2));
    }
  }

  /**
   * The circuit breaker over the last calls: once enough of them failed as unavailable, calls fail
   * at once for a while, then a few are let through to probe the gateway. Declines and invalid
   * requests are answers, not failures.
   *
   * @param failureRateThreshold percentage of failed calls that opens it (50)
   * @param slidingWindowSize how many of the last calls count (20)
   * @param minimumNumberOfCalls calls needed before a rate is computed (10)
   * @param waitInOpenState how long it stays open (30 s)
   * @param permittedCallsInHalfOpenState probing calls after that (3)
   */
  public record CircuitBreaker(
      Float failureRateThreshold,
      Integer slidingWindowSize,
      Integer minimumNumberOfCalls,
      Duration waitInOpenState,
      Integer permittedCallsInHalfOpenState) {

    public CircuitBreaker {
      failureRateThreshold = failureRateThreshold == null ? 50f : failureRateThreshold;
      if (failureRateThreshold <= 0 || failureRateThreshold > 100) {
        throw new IllegalArgumentException(
            "ledgerline.gateway.circuit-breaker.failure-rate-threshold must be in (0, 100]");
      }
      slidingWindowSize = atLeast("circuit-breaker.sliding-window-size", slidingWindowSize, 1, 20);
      minimumNumberOfCalls =
          atLeast("circuit-breaker.minimum-number-of-calls", minimumNumberOfCalls, 1, 10);
      waitInOpenState =
          positive("circuit-breaker.wait-in-open-state", waitInOpenState, Duration.ofSeconds(30));
      permittedCallsInHalfOpenState =
          atLeast(
              "circuit-breaker.permitted-calls-in-half-open-state",
              permittedCallsInHalfOpenState,
              1,
              3);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static Duration positive(String name, Duration value, Duration fallback) {
    if (value == null) {
      return fallback;
    }
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("ledgerline.gateway." + name + " must be positive");
    }
    return value;
  }

  private static Integer atLeast(String name, Integer value, int minimum, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (value < minimum) {
      throw new IllegalArgumentException(
          "ledgerline.gateway." + name + " must be at least " + minimum);
    }
    return value;
  }
}
