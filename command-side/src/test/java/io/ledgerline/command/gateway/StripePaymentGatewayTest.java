package io.ledgerline.command.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * How Stripe's failures reach the top-up process; the calls themselves are tested against the
 * simulator (infra's {@code GatewayClientTest}).
 */
class StripePaymentGatewayTest {

  @Test
  void aCardErrorIsADeclineWithItsDeclineCode() {
    GatewayException e =
        translate(
            new CardException(
                "Your card was declined.",
                "req_1",
                "card_declined",
                null,
                "insufficient_funds",
                null,
                402,
                null));

    assertThat(e.kind()).isEqualTo(GatewayException.Kind.DECLINED);
    assertThat(e.code()).contains("insufficient_funds");
    assertThat(e.requestId()).contains("req_1");
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void refusalsOfTheRequestAreInvalidRequests() {
    for (StripeException refusal :
        new StripeException[] {
          new InvalidRequestException(
              "No such payment_intent", "intent", "req", "resource_missing", 404, null),
          new IdempotencyException("Keys for idempotent requests ...", "req", null, 400),
          new AuthenticationException("Invalid API Key provided", "req", null, 401),
          new PermissionException("not allowed", "req", null, 403),
          new ApiException("method not allowed", "req", null, 405, null)
        }) {
      assertThat(translate(refusal).kind())
          .as(refusal.getClass().getSimpleName())
          .isEqualTo(GatewayException.Kind.INVALID_REQUEST);
    }
    assertThat(translate(new IdempotencyException("x", "req", null, 400)).code())
        .contains("idempotency_error");
  }

  @Test
  void failuresOfTheGatewayAreUnavailableAndRetryable() {
    for (StripeException failure :
        new StripeException[] {
          new ApiConnectionException("timed out", new SocketTimeoutException("Read timed out")),
          new RateLimitException("Too many requests", null, "req", "rate_limit", 429, null),
          new ApiException("An unknown error occurred", "req", null, 500, null),
          new ApiException("busy", "req", "lock_timeout", 409, null),
          new ApiException("Invalid response object from API", null, null, 200, null)
        }) {
      GatewayException e = translate(failure);
      assertThat(e.kind()).as(failure.getMessage()).isEqualTo(GatewayException.Kind.UNAVAILABLE);
      assertThat(e.isRetryable()).isTrue();
    }
  }

  @Test
  void badArgumentsNeverReachTheGateway() {
    StripePaymentGateway gateway =
        new StripePaymentGateway(
            GatewayProperties.of("http://127.0.0.1:1", "sk_test_x", null),
            new SimpleMeterRegistry());

    assertThatIllegalArgumentException()
        .isThrownBy(() -> gateway.createPaymentIntent(" ", "a-1", 100, "EUR"));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> gateway.createPaymentIntent("x".repeat(256), "a-1", 100, "EUR"));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> gateway.createPaymentIntent("t-1", null, 100, "EUR"));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> gateway.createPaymentIntent("t-1", "a-1", 0, "EUR"));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> gateway.createPaymentIntent("t-1", "a-1", 100, "EURO"));
  }

  @Test
  void aGatewayNeedsAnApiBaseAndKey() {
    assertThat(GatewayProperties.of(null, "sk_test_x", null).enabled()).isFalse();
    assertThat(GatewayProperties.of("https://api.stripe.com", " ", null).enabled()).isFalse();
    assertThat(GatewayProperties.of("https://api.stripe.com", "sk_test_x", null).enabled())
        .isTrue();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> GatewayProperties.of("ftp://example.com", "sk_test_x", null));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new StripePaymentGateway(
                    GatewayProperties.of(null, null, null), new SimpleMeterRegistry()));
  }

  private static GatewayException translate(StripeException e) {
    return StripePaymentGateway.translate("create_payment_intent", e);
  }
}
