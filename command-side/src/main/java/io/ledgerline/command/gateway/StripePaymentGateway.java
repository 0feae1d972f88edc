package io.ledgerline.command.gateway;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.StripeError;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@link PaymentGateway} on Stripe's API through the official client, pointed at the configured API
 * base (Stripe, or the local stack's simulator). The client's own retries are off: Resilience4j
 * retries here, with exponential backoff, only calls that are safe to repeat (a create carrying the
 * top-up id as its idempotency key, a read), inside a circuit breaker that counts only failures of
 * the gateway (timeouts, refused connections, 5xx, 429), never its answers (declines, invalid
 * requests). Both report to Micrometer ({@code resilience4j_circuitbreaker_*}, {@code
 * resilience4j_retry_*}, tagged {@code name="payment-gateway"}), as does every call ({@code
 * ledgerline_gateway_calls_seconds{operation,outcome}}).
 */
public final class StripePaymentGateway implements PaymentGateway {

  /** The name of the circuit breaker and the retry, as their meters are tagged. */
  public static final String NAME = "payment-gateway";

  static final String CALLS = "ledgerline.gateway.calls";

  private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");

  private final StripeClient stripe;
  private final CircuitBreaker circuitBreaker;
  private final Retry retry;
  private final MeterRegistry meters;
  private final Meter.MeterProvider<Timer> calls;

  public StripePaymentGateway(GatewayProperties properties, MeterRegistry meters) {
    if (!properties.enabled()) {
      throw new IllegalArgumentException("the gateway needs an API base and an API key");
    }
    this.meters = meters;
    this.stripe =
        StripeClient.builder()
            .setApiKey(properties.apiKey())
            .setApiBase(properties.apiBase())
            .setConnectTimeout(millis(properties.connectTimeout()))
            .setReadTimeout(millis(properties.readTimeout()))
            // Resilience4j retries, and only what is safe to repeat.
            .setMaxNetworkRetries(0)
            .build();
    GatewayProperties.CircuitBreaker breaker = properties.circuitBreaker();
    CircuitBreakerRegistry breakers =
        CircuitBreakerRegistry.of(
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.slidingWindowSize())
                .minimumNumberOfCalls(breaker.minimumNumberOfCalls())
                .failureRateThreshold(breaker.failureRateThreshold())
                .waitDurationInOpenState(breaker.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(breaker.permittedCallsInHalfOpenState())
                // A decline or an invalid request is the gateway answering: a success here.
                .recordException(StripePaymentGateway::isUnavailable)
                .build());
    this.circuitBreaker = breakers.circuitBreaker(NAME);
    GatewayProperties.Retry retries = properties.retry();
    RetryRegistry retryRegistry =
        RetryRegistry.of(
            RetryConfig.custom()
                .maxAttempts(retries.maxAttempts())
                .intervalFunction(
                    IntervalFunction.ofExponentialRandomBackoff(
                        retries.initialBackoff(), retries.multiplier(), 0.5, retries.maxBackoff()))
                // Not an open circuit (CallNotPermittedException): that fails at once.
                .retryOnException(StripePaymentGateway::isUnavailable)
                .build());
    this.retry = retryRegistry.retry(NAME);
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
    TaggedRetryMetrics.ofRetryRegistry(retryRegistry).bindTo(meters);
    this.calls =
        Timer.builder(CALLS)
            .description("Calls to the payment gateway, retries included, by operation and outcome")
            .withRegistry(meters);
  }

  @Override
  public boolean isEnabled() {
    return true;
  }

  @Override
  public PaymentIntent createPaymentIntent(
      String topUpId, String accountId, long amountMinor, String currency) {
    requireText("topUpId", topUpId);
    if (topUpId.length() > 255) {
      throw new IllegalArgumentException("topUpId is the idempotency key: at most 255 characters");
    }
    requireText("accountId", accountId);
    if (amountMinor < 1) {
      throw new IllegalArgumentException("amountMinor must be at least 1, not " + amountMinor);
    }
    if (currency == null || !CURRENCY.matcher(currency).matches()) {
      throw new IllegalArgumentException("currency must be an ISO 4217 code, not " + currency);
    }
    PaymentIntentCreateParams params =
        PaymentIntentCreateParams.builder()
            .setAmount(amountMinor)
            .setCurrency(currency.toLowerCase(Locale.ROOT))
            .addPaymentMethodType("card")
            .putMetadata(TOP_UP_ID, topUpId)
            .putMetadata(ACCOUNT_ID, accountId)
            .build();
    // The gateway answers a repeat with the same key and parameters with the first intent.
    RequestOptions options = RequestOptions.builder().setIdempotencyKey(topUpId).build();
    return call(
        "create_payment_intent",
        true,
        () -> intent(stripe.v1().paymentIntents().create(params, options)));
  }

  @Override
  public PaymentIntent retrievePaymentIntent(String intentId) {
    requireText("intentId", intentId);
    // A read changes nothing: safe to repeat.
    return call(
        "retrieve_payment_intent",
        true,
        () -> intent(stripe.v1().paymentIntents().retrieve(intentId)));
  }

  /** A gateway call that may fail as Stripe's client fails. */
  @FunctionalInterface
  private interface StripeCall<T> {
    T call() throws StripeException;
  }

  private <T> T call(String operation, boolean safeToRepeat, StripeCall<T> call) {
    Timer.Sample started = Timer.start(meters);
    String outcome = "success";
    try {
      Supplier<T> guarded =
          CircuitBreaker.decorateSupplier(circuitBreaker, () -> translated(operation, call));
      if (safeToRepeat) {
        guarded = Retry.decorateSupplier(retry, guarded);
      }
      return guarded.get();
    } catch (CallNotPermittedException open) {
      outcome = "unavailable";
      throw new GatewayException(
          GatewayException.Kind.UNAVAILABLE,
          "the payment gateway failed too often lately; calls are paused (circuit breaker open)",
          "circuit_open",
          null,
          open);
    } catch (GatewayException e) {
      outcome = e.kind().name().toLowerCase(Locale.ROOT);
      throw e;
    } catch (RuntimeException e) {
      outcome = "error";
      throw e;
    } finally {
      started.stop(calls.withTags("operation", operation, "outcome", outcome));
    }
  }

  private static <T> T translated(String operation, StripeCall<T> call) {
    try {
      return call.call();
    } catch (StripeException e) {
      throw translate(operation, e);
    }
  }

  /** Stripe's exceptions by what the caller can do about them. */
  static GatewayException translate(String operation, StripeException e) {
    GatewayException.Kind kind;
    String code = e.getCode();
    if (e instanceof CardException card) {
      kind = GatewayException.Kind.DECLINED;
      code = card.getDeclineCode() != null ? card.getDeclineCode() : e.getCode();
    } else if (e instanceof IdempotencyException) {
      kind = GatewayException.Kind.INVALID_REQUEST;
      code = "idempotency_error";
    } else if (e instanceof InvalidRequestException
        || e instanceof AuthenticationException
        || e instanceof PermissionException) {
      kind = GatewayException.Kind.INVALID_REQUEST;
    } else if (e instanceof RateLimitException || e instanceof ApiConnectionException) {
      kind = GatewayException.Kind.UNAVAILABLE;
    } else if (e instanceof ApiException api
        && api.getStatusCode() != null
        && api.getStatusCode() >= 400
        && api.getStatusCode() < 500
        && api.getStatusCode() != 409
        && api.getStatusCode() != 429) {
      kind = GatewayException.Kind.INVALID_REQUEST;
    } else {
      // 5xx, 409 (a concurrent request with the same key), an unreadable answer, anything else.
      kind = GatewayException.Kind.UNAVAILABLE;
    }
    String status = e.getStatusCode() == null ? "no answer" : "HTTP " + e.getStatusCode();
    return new GatewayException(
        kind,
        operation
            + " failed ("
            + status
            + (code == null ? "" : ", " + code)
            + "): "
            + e.getMessage(),
        code,
        e.getRequestId(),
        e);
  }

  private static boolean isUnavailable(Throwable e) {
    return e instanceof GatewayException gateway
        && gateway.kind() == GatewayException.Kind.UNAVAILABLE;
  }

  private static PaymentIntent intent(com.stripe.model.PaymentIntent intent) {
    StripeError error = intent.getLastPaymentError();
    String failure =
        error == null
            ? null
            : error.getDeclineCode() != null ? error.getDeclineCode() : error.getCode();
    return new PaymentIntent(
        intent.getId(),
        intent.getClientSecret(),
        intent.getStatus(),
        intent.getAmount() == null ? 0 : intent.getAmount(),
        intent.getCurrency() == null ? null : intent.getCurrency().toUpperCase(Locale.ROOT),
        intent.getMetadata(),
        failure);
  }

  private static void requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
  }

  /** The circuit breaker's state, for tests and diagnostics: CLOSED, OPEN, HALF_OPEN, ... */
  public String circuitState() {
    return circuitBreaker.getState().name();
  }
}
