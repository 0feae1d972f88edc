package io.ledgerline.command.gateway;

import io.ledgerline.platform.web.problem.Problems;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/gateway/webhooks}: the payment gateway's events. Open without a bearer token
 * (the gateway has none); the {@code Stripe-Signature} over the raw body authenticates each one
 * instead. Answers 204 once every listener has handled the event; a missing or malformed signature
 * is a 400, a forged or stale one a 401, and neither changes anything. Not part of the public API
 * description: only the gateway calls it.
 */
@Hidden
@RestController
class GatewayWebhookController {

  static final String PATH = "/api/v1/gateway/webhooks";

  private final GatewayWebhooks webhooks;

  GatewayWebhookController(GatewayWebhooks webhooks) {
    this.webhooks = webhooks;
  }

  @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Void> receive(
      @RequestHeader(name = "Stripe-Signature", required = false) String signature,
      @RequestBody(required = false) byte[] payload) {
    webhooks.receive(payload == null ? new byte[0] : payload, signature);
    return ResponseEntity.noContent().build();
  }

  @ExceptionHandler(WebhookSignatureException.class)
  ResponseEntity<ProblemDetail> refused(WebhookSignatureException e) {
    return switch (e.reason()) {
      case MISSING, MALFORMED ->
          ResponseEntity.badRequest()
              .body(
                  Problems.of(
                      HttpStatus.BAD_REQUEST,
                      "malformed-webhook-signature",
                      "Malformed webhook signature",
                      e.getMessage()));
      case MISMATCH, OUTSIDE_TOLERANCE ->
          ResponseEntity.status(HttpStatus.UNAUTHORIZED)
              .header(HttpHeaders.WWW_AUTHENTICATE, "Stripe-Signature")
              .body(
                  Problems.of(
                      HttpStatus.UNAUTHORIZED,
                      "invalid-webhook-signature",
                      "Invalid webhook signature",
                      e.getMessage()));
    };
  }

  @ExceptionHandler(GatewayWebhooks.MalformedEvent.class)
  ProblemDetail malformed(GatewayWebhooks.MalformedEvent e) {
    return Problems.of(
        HttpStatus.BAD_REQUEST,
        "malformed-webhook-event",
        "Malformed webhook event",
        e.getMessage());
  }

  // The gateway retries for days: once a secret is configured, nothing sent meanwhile is lost.
  @ExceptionHandler(GatewayWebhooks.NotConfigured.class)
  ResponseEntity<ProblemDetail> notConfigured(GatewayWebhooks.NotConfigured e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .body(
            Problems.of(
                HttpStatus.SERVICE_UNAVAILABLE,
                "gateway-disabled",
                "Payment gateway not configured",
                e.getMessage()));
  }
}
