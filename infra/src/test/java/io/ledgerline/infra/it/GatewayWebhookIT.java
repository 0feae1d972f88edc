package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway simulator of the stack and the command side's webhook endpoint together: a payment's
 * event, signed by the simulator with the stack's secret, is verified and accepted without a token;
 * an unsigned, forged or re-dated one is refused. The simulator's faults are reset before each
 * test.
 */
@SystemTest
class GatewayWebhookIT {

  private static final String WEBHOOKS = "/api/v1/gateway/webhooks";

  @BeforeEach
  void resetTheSimulator() {
    assertThat(
            Ledgerline.post(config().gatewayApiBase() + "/_simulator/reset", "", Map.of()).status())
        .isEqualTo(200);
  }

  @Test
  void aPaymentsEventIsSignedByTheSimulatorAndAcceptedByTheCommandSide() {
    String intent = succeededPayment();

    JsonNode delivery = awaitDelivery(intent);

    assertThat(delivery.get("type").asText()).isEqualTo("payment_intent.succeeded");
    assertThat(delivery.get("status").asInt()).as(delivery.toString()).isEqualTo(204);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(scrape())
                    .containsPattern(
                        "ledgerline_gateway_webhooks_total\\{[^}]*outcome=\"accepted\"[^}]*"
                            + "type=\"payment_intent.succeeded\"[^}]*} [1-9]"));
  }

  @Test
  void duplicatedWebhooksAreEachAnswered() {
    setMode("{\"duplicateWebhooks\":true}");
    String intent = succeededPayment();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                deliveries(intent).stream().filter(d -> d.get("status").asInt() == 204).count()
                    == 2);
  }

  @Test
  void anUnsignedForgedOrRedatedWebhookIsRefusedAndNeedsNoToken() {
    JsonNode delivery = awaitDelivery(succeededPayment());
    String payload = delivery.get("payload").asText();
    String signature = delivery.get("signature").asText();
    String v1 = signature.substring(signature.indexOf("v1="));
    long signedAt = Long.parseLong(signature.substring(2, signature.indexOf(',')));

    Ledgerline.Response unsigned = webhook(payload, null);
    Ledgerline.Response forged = webhook(payload, "t=" + signedAt + ",v1=" + "0".repeat(64));
    Ledgerline.Response redated = webhook(payload, "t=" + (signedAt - 3600) + "," + v1);
    Ledgerline.Response tampered = webhook(payload.replace("succeeded", "canceled"), signature);

    assertThat(unsigned.status()).as(unsigned.body()).isEqualTo(400);
    assertThat(unsigned.contentType()).startsWith("application/problem+json");
    for (Ledgerline.Response refused : List.of(forged, redated, tampered)) {
      assertThat(refused.status()).as(refused.body()).isEqualTo(401);
      assertThat(refused.json().get("type").asText())
          .isEqualTo("urn:ledgerline:problem:invalid-webhook-signature");
    }
  }

  @Test
  void theGatewayClientsResilienceIsMeasured() {
    String scrape = scrape();

    assertThat(scrape)
        .containsPattern("resilience4j_circuitbreaker_state\\{[^}]*name=\"payment-gateway\"");
    assertThat(scrape)
        .containsPattern("resilience4j_retry_calls_total\\{[^}]*name=\"payment-gateway\"");
  }

  /** A payment intent the customer paid: its id. */
  private static String succeededPayment() {
    String topUp = "it-top-up-" + UUID.randomUUID();
    Ledgerline.Response created =
        Ledgerline.send(
            HttpRequest.newBuilder(URI.create(config().gatewayApiBase() + "/v1/payment_intents"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + config().gatewayApiKey())
                .header("Idempotency-Key", topUp)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "amount=1250&currency=eur&metadata[top_up_id]=" + topUp))
                .build());
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    String intent = created.json().get("id").asText();
    Ledgerline.Response paid =
        Ledgerline.post(
            config().gatewayApiBase() + "/_simulator/payment_intents/" + intent + "/succeed",
            "",
            Map.of());
    assertThat(paid.status()).as(paid.body()).isEqualTo(200);
    return intent;
  }

  private static JsonNode awaitDelivery(String intent) {
    await().atMost(Duration.ofSeconds(30)).until(() -> !deliveries(intent).isEmpty());
    return deliveries(intent).get(0);
  }

  private static List<JsonNode> deliveries(String intent) {
    List<JsonNode> found = new ArrayList<>();
    Ledgerline.get(config().gatewayApiBase() + "/_simulator/webhooks")
        .json()
        .get("data")
        .forEach(
            delivery -> {
              if (intent.equals(delivery.get("payment_intent").asText())) {
                found.add(delivery);
              }
            });
    return found;
  }

  private static void setMode(String json) {
    assertThat(
            Ledgerline.post(config().gatewayApiBase() + "/_simulator/mode", json, Map.of())
                .status())
        .isEqualTo(200);
  }

  private static Ledgerline.Response webhook(String payload, String signature) {
    return signature == null
        ? Ledgerline.post(
            config().commandUrl() + WEBHOOKS, payload, Map.of("X-Test-Anonymous", "true"))
        : Ledgerline.post(
            config().commandUrl() + WEBHOOKS,
            payload,
            Map.of("X-Test-Anonymous", "true", "Stripe-Signature", signature));
  }

  private static String scrape() {
    return Ledgerline.get(config().commandUrl() + "/actuator/prometheus").body();
  }
}
