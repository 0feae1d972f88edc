package io.ledgerline.command.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the webhook endpoint does with a request: verify its signature over the raw body, then read
 * the event from it and hand it to every {@link GatewayEventListener}. Nothing is read from a body
 * before its signature is verified, and nothing is handed on from one that fails. Counted as {@code
 * ledgerline_gateway_webhooks_total{type,outcome}}.
 */
final class GatewayWebhooks {

  static final String WEBHOOKS = "ledgerline.gateway.webhooks";

  private static final Logger log = LoggerFactory.getLogger(GatewayWebhooks.class);

  // Its own mapper: the payload is the gateway's, which adds fields as it pleases.
  private static final ObjectMapper JSON = new ObjectMapper();

  // Only these types become a tag: a verified payload is the gateway's, but the tag stays bounded.
  private static final Set<String> COUNTED_TYPES =
      Set.of(GatewayEvent.PAYMENT_INTENT_SUCCEEDED, GatewayEvent.PAYMENT_INTENT_FAILED);

  /** No signing secret is configured: nothing can be verified. */
  static final class NotConfigured extends RuntimeException {
    NotConfigured() {
      super(
          "no webhook signing secret is configured (ledgerline.gateway.webhook-secret)",
          null,
          false,
          false);
    }
  }

  /** A verified payload that is not an event the gateway would send. */
  static final class MalformedEvent extends RuntimeException {
    MalformedEvent(String message) {
      super(message, null, false, false);
    }
  }

  private final StripeSignatureVerifier verifier;
  private final Supplier<List<GatewayEventListener>> listeners;
  private final Meter.MeterProvider<Counter> received;

  /**
   * @param verifier checks the signatures, or null when no secret is configured
   * @param listeners the listeners, in their order, looked up per event
   */
  GatewayWebhooks(
      StripeSignatureVerifier verifier,
      Supplier<List<GatewayEventListener>> listeners,
      MeterRegistry meters) {
    this.verifier = verifier;
    this.listeners = listeners;
    this.received =
        Counter.builder(WEBHOOKS)
            .description("Webhooks received from the payment gateway, by event type and outcome")
            .withRegistry(meters);
  }

  /**
   * Verifies, reads and hands on one webhook.
   *
   * @throws NotConfigured when no signing secret is configured
   * @throws WebhookSignatureException when the signature does not prove the payload is the
   *     gateway's, recent
   * @throws MalformedEvent when the verified payload is not an event
   */
  GatewayEvent receive(byte[] payload, String signature) {
    if (verifier == null) {
      count("unknown", "disabled");
      throw new NotConfigured();
    }
    try {
      verifier.verify(payload, signature);
    } catch (WebhookSignatureException e) {
      count("unknown", "refused");
      log.warn("Refused a gateway webhook: {} ({})", e.getMessage(), e.reason());
      throw e;
    }
    GatewayEvent event;
    try {
      event = parse(payload);
    } catch (MalformedEvent e) {
      count("unknown", "malformed");
      log.warn("Refused a signed gateway webhook that is not an event: {}", e.getMessage());
      throw e;
    }
    String type = COUNTED_TYPES.contains(event.type()) ? event.type() : "other";
    try {
      for (GatewayEventListener listener : listeners.get()) {
        listener.onEvent(event);
      }
    } catch (RuntimeException e) {
      count(type, "failed");
      throw e;
    }
    count(type, "accepted");
    return event;
  }

  private void count(String type, String outcome) {
    received.withTags("type", type, "outcome", outcome).increment();
  }

  /** Reads Stripe's event object: {@code {"id","object":"event","type","created","data":{...}}}. */
  static GatewayEvent parse(byte[] payload) {
    JsonNode root;
    try {
      root = JSON.readTree(payload);
    } catch (JsonProcessingException e) {
      throw new MalformedEvent("the payload is not JSON");
    } catch (IOException e) {
      throw new MalformedEvent("the payload cannot be read");
    }
    if (root == null || !root.isObject() || !"event".equals(root.path("object").asText())) {
      throw new MalformedEvent("the payload is not an event object");
    }
    String id = text(root, "id");
    String type = text(root, "type");
    if (id == null || type == null) {
      throw new MalformedEvent("the event has no id or type");
    }
    JsonNode created = root.path("created");
    Instant createdAt = created.canConvertToLong() ? Instant.ofEpochSecond(created.asLong()) : null;
    JsonNode object = root.path("data").path("object");
    PaymentIntent intent = null;
    if ("payment_intent".equals(object.path("object").asText())) {
      intent = paymentIntent(object);
    } else if (type.startsWith("payment_intent.")) {
      throw new MalformedEvent("the " + type + " event carries no payment intent");
    }
    return new GatewayEvent(id, type, createdAt, intent);
  }

  private static PaymentIntent paymentIntent(JsonNode object) {
    String id = text(object, "id");
    if (id == null || !object.path("amount").canConvertToLong()) {
      throw new MalformedEvent("the payment intent has no id or amount");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    object
        .path("metadata")
        .fields()
        .forEachRemaining(
            field -> {
              if (field.getValue().isTextual()) {
                metadata.put(field.getKey(), field.getValue().asText());
              }
            });
    JsonNode error = object.path("last_payment_error");
    String failure = error.isObject() ? firstText(error, "decline_code", "code") : null;
    String currency = text(object, "currency");
    return new PaymentIntent(
        id,
        // The client secret is the customer's: it goes no further than this.
        null,
        text(object, "status"),
        object.path("amount").asLong(),
        currency == null ? null : currency.toUpperCase(Locale.ROOT),
        metadata,
        failure);
  }

  private static String firstText(JsonNode node, String... fields) {
    for (String field : fields) {
      String value = text(node, field);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
  }
}
