package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static io.ledgerline.infra.it.Ledgerline.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Card top-ups end to end on the stack, with the gateway simulator as the payment gateway: a
 * customer asks for a top-up, pays its intent with the client secret, the simulator's signed
 * webhook reports the outcome, and the account is credited exactly once (or not at all), on the
 * command side and the query side alike, whatever the gateway repeats, reorders or fails at. The
 * simulator's faults are reset before and after each test.
 */
@SystemTest
class TopUpIT {

  private static final Duration SETTLED = Duration.ofSeconds(60);
  private static final String TOP_UPS = "/api/v1/topups";

  private final String customer = "top-up-customer-" + UUID.randomUUID();
  private final Map<String, String> asCustomer =
      Map.of("Authorization", "Bearer " + Ledgerline.token("customer", customer));

  @BeforeEach
  @AfterEach
  void resetTheSimulator() {
    assertThat(post(config().gatewayApiBase() + "/_simulator/reset", "", Map.of()).status())
        .isEqualTo(200);
  }

  @Test
  void aPaidTopUpIsCreditedOnceAndSucceedsOnBothSides() {
    String account = openAccount("EUR", customer);

    Ledgerline.Response requested = requestTopUp(account, 5_000, "EUR", "pay-" + account);
    assertThat(requested.status()).as(requested.body()).isEqualTo(201);
    JsonNode started = requested.json();
    String topUp = started.get("topUpId").asText();
    String intent = started.get("intentId").asText();
    assertThat(requested.header("Location")).isEqualTo(TOP_UPS + "/" + topUp);
    assertThat(started.get("status").asText()).isEqualTo("AWAITING_PAYMENT");
    assertThat(started.get("amount").asLong()).isEqualTo(5_000);
    assertThat(started.get("currency").asText()).isEqualTo("EUR");
    assertThat(intent).startsWith("pi_");
    assertThat(commandSide(topUp).get("status").asText()).isEqualTo("AWAITING_PAYMENT");

    // What the customer's browser does: confirm the intent with its client secret, no API key.
    Ledgerline.Response paid =
        confirm(intent, started.get("clientSecret").asText(), "pm_card_visa");
    assertThat(paid.status()).as(paid.body()).isEqualTo(200);

    awaitBalance(account, 5_000);
    awaitCommandSide(topUp, "SUCCEEDED", true);
    JsonNode projected = awaitQuerySide(topUp, "SUCCEEDED");
    assertThat(projected.get("intentId").asText()).isEqualTo(intent);
    assertThat(projected.get("accountId").asText()).isEqualTo(account);
    assertThat(depositsOf(account, topUp)).isEqualTo(1);

    // The customer lists its account's top-ups on the query side, and may not list another's.
    // A list is a search: it shows a document once Elasticsearch has refreshed (within a second),
    // later than a read by id does.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              Ledgerline.Response listed =
                  Ledgerline.send(
                      withCustomer(
                          request(config().queryUrl() + TOP_UPS + "?accountId=" + account)));
              assertThat(listed.status()).as(listed.body()).isEqualTo(200);
              assertThat(listed.json().get("items"))
                  .extracting(i -> i.get("topUpId").asText())
                  .containsExactly(topUp);
            });
    Ledgerline.Response theirs =
        Ledgerline.send(
            withCustomer(
                request(
                    config().queryUrl()
                        + TOP_UPS
                        + "?accountId="
                        + openAccount("EUR", "someone-else-" + UUID.randomUUID()))));
    assertThat(theirs.status()).isEqualTo(403);

    // The same request again (same key) is the same top-up, paid now: no secret, no new intent.
    Ledgerline.Response again = requestTopUp(account, 5_000, "EUR", "pay-" + account);
    assertThat(again.status()).as(again.body()).isEqualTo(201);
    assertThat(again.json().get("topUpId").asText()).isEqualTo(topUp);
    assertThat(again.json().get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(again.json().get("clientSecret").isNull()).isTrue();
    assertThat(createsFor(topUp)).hasSize(1);
  }

  @Test
  void duplicatedWebhooksCreditOnce() {
    setMode("{\"duplicateWebhooks\":true}");
    String account = openAccount("EUR", customer);
    JsonNode started = startedTopUp(account, 1_250);
    String intent = started.get("intentId").asText();

    pay(started);

    await()
        .atMost(SETTLED)
        .until(
            () ->
                deliveries(intent).stream().filter(d -> d.get("status").asInt() == 204).count()
                    == 2);
    awaitBalance(account, 1_250);
    awaitCommandSide(started.get("topUpId").asText(), "SUCCEEDED", true);
    assertThat(depositsOf(account, started.get("topUpId").asText())).isEqualTo(1);
    assertThat(scrape())
        .containsPattern(
            "ledgerline_topups_gateway_events_total\\{[^}]*outcome=\"unchanged\"[^}]*"
                + "type=\"payment_intent.succeeded\"[^}]*} [1-9]");
  }

  @Test
  void aFailureReportedAfterTheSuccessChangesNothing() {
    // Newest first: the success of the second try arrives before the decline of the first.
    setMode("{\"reorderWebhooks\":true,\"reorderWindowMs\":10000}");
    String account = openAccount("EUR", customer);
    JsonNode started = startedTopUp(account, 800);
    String topUp = started.get("topUpId").asText();
    String intent = started.get("intentId").asText();
    String secret = started.get("clientSecret").asText();

    assertThat(confirm(intent, secret, "pm_card_chargeDeclined").status()).isEqualTo(402);
    assertThat(confirm(intent, secret, "pm_card_visa").status()).isEqualTo(200);

    await()
        .atMost(SETTLED)
        .untilAsserted(
            () -> {
              List<JsonNode> answered =
                  deliveries(intent).stream().filter(d -> d.get("status").asInt() == 204).toList();
              assertThat(answered)
                  .extracting(d -> d.get("type").asText())
                  .containsExactly("payment_intent.succeeded", "payment_intent.payment_failed");
            });
    awaitBalance(account, 800);
    JsonNode status = awaitCommandSide(topUp, "SUCCEEDED", true);
    assertThat(status.get("failureCode").isNull()).isTrue();
    awaitQuerySide(topUp, "SUCCEEDED");
    assertThat(depositsOf(account, topUp)).isEqualTo(1);
  }

  @Test
  void aDeclinedPaymentFailsTheTopUpAndCreditsNothing() {
    String account = openAccount("EUR", customer);
    JsonNode started = startedTopUp(account, 3_000);
    String topUp = started.get("topUpId").asText();

    Ledgerline.Response declined =
        confirm(
            started.get("intentId").asText(),
            started.get("clientSecret").asText(),
            "pm_card_chargeDeclinedInsufficientFunds");
    assertThat(declined.status()).isEqualTo(402);

    JsonNode status = awaitCommandSide(topUp, "FAILED", false);
    assertThat(status.get("failureCode").asText()).isEqualTo("insufficient_funds");
    JsonNode projected = awaitQuerySide(topUp, "FAILED");
    assertThat(projected.get("failureCode").asText()).isEqualTo("insufficient_funds");
    assertThat(Ledgerline.queryAccountAwait(account).get("balance").asLong()).isZero();
    assertThat(depositsOf(account, topUp)).isZero();
  }

  @Test
  void aGatewayFailureIsRetriedWithTheSameIdempotencyKeyIntoOneIntent() {
    // Fewer failures than the client's attempts (3): its retry gets through to one intent. One
    // only: the failures of this class stay below the client's circuit breaker's threshold.
    setMode("{\"failNext\":1,\"failStatus\":503}");
    String account = openAccount("EUR", customer);

    JsonNode started = startedTopUp(account, 700);

    List<JsonNode> creates = createsFor(started.get("topUpId").asText());
    assertThat(creates).extracting(c -> c.get("status").asInt()).containsExactly(503, 200);
    pay(started);
    awaitBalance(account, 700);
  }

  @Test
  void anUnavailableGatewayKeepsTheTopUpAndTheClientsRetryContinuesIt() {
    // As many failures as the client's attempts: a 503 to retry, the top-up kept as requested.
    setMode("{\"failNext\":3,\"failStatus\":502}");
    String account = openAccount("EUR", customer);
    String key = "retry-" + account;

    Ledgerline.Response unavailable = requestTopUp(account, 900, null, key);
    assertThat(unavailable.status()).as(unavailable.body()).isEqualTo(503);
    assertThat(unavailable.contentType()).startsWith("application/problem+json");
    assertThat(unavailable.header("Retry-After")).isNotBlank();
    assertThat(unavailable.json().get("type").asText())
        .isEqualTo("urn:ledgerline:problem:gateway-unavailable");
    String topUp = unavailable.json().get("topUpId").asText();
    assertThat(commandSide(topUp).get("status").asText()).isEqualTo("REQUESTED");

    Ledgerline.Response retried = requestTopUp(account, 900, null, key);
    assertThat(retried.status()).as(retried.body()).isEqualTo(201);
    assertThat(retried.json().get("topUpId").asText()).isEqualTo(topUp);
    assertThat(retried.json().get("status").asText()).isEqualTo("AWAITING_PAYMENT");
    Ledgerline.Response retriedAgain = requestTopUp(account, 900, null, key);
    assertThat(retriedAgain.json().get("intentId").asText())
        .isEqualTo(retried.json().get("intentId").asText());
    assertThat(createsFor(topUp))
        .extracting(c -> c.get("status").asInt())
        .containsExactly(502, 502, 502, 200);

    pay(retried.json());
    awaitBalance(account, 900);
    assertThat(depositsOf(account, topUp)).isEqualTo(1);
  }

  @Test
  void aForgedWebhookIsRefusedAndChangesNothing() throws Exception {
    String account = openAccount("EUR", customer);
    JsonNode started = startedTopUp(account, 4_000);
    String topUp = started.get("topUpId").asText();
    String payload =
        Ledgerline.JSON
            .createObjectNode()
            .put("id", "evt_forged_" + UUID.randomUUID().toString().replace("-", ""))
            .put("object", "event")
            .put("type", "payment_intent.succeeded")
            .put("created", Instant.now().getEpochSecond())
            .set(
                "data",
                Ledgerline.JSON
                    .createObjectNode()
                    .set(
                        "object",
                        Ledgerline.JSON
                            .createObjectNode()
                            .put("id", started.get("intentId").asText())
                            .put("object", "payment_intent")
                            .put("amount", 4_000)
                            .put("currency", "eur")
                            .put("status", "succeeded")
                            .set(
                                "metadata",
                                Ledgerline.JSON
                                    .createObjectNode()
                                    .put("top_up_id", topUp)
                                    .put("account_id", account))))
            .toString();
    long now = Instant.now().getEpochSecond();

    Ledgerline.Response forged =
        webhook(payload, "t=" + now + ",v1=" + hmac("whsec_not_the_secret", now + "." + payload));

    assertThat(forged.status()).as(forged.body()).isEqualTo(401);
    assertThat(commandSide(topUp).get("status").asText()).isEqualTo("AWAITING_PAYMENT");
    assertThat(commandSide(topUp).get("credited").asBoolean()).isFalse();
    assertThat(Ledgerline.queryAccountAwait(account).get("balance").asLong()).isZero();
    assertThat(depositsOf(account, topUp)).isZero();
  }

  @Test
  void anEventForAnUnknownIntentIsAnsweredRecordedAndIgnored() throws Exception {
    String unknownTopUp = UUID.randomUUID().toString();
    String account = openAccount("EUR", customer);
    // An intent the ledger never asked for, naming a top-up it does not know.
    Ledgerline.Response created =
        Ledgerline.send(
            HttpRequest.newBuilder(URI.create(config().gatewayApiBase() + "/v1/payment_intents"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + config().gatewayApiKey())
                .header("Idempotency-Key", unknownTopUp)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "amount=1000&currency=eur&metadata[top_up_id]="
                            + unknownTopUp
                            + "&metadata[account_id]="
                            + account))
                .build());
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    String intent = created.json().get("id").asText();

    assertThat(
            post(
                    config().gatewayApiBase()
                        + "/_simulator/payment_intents/"
                        + intent
                        + "/succeed",
                    "",
                    Map.of())
                .status())
        .isEqualTo(200);

    await()
        .atMost(SETTLED)
        .until(() -> deliveries(intent).stream().anyMatch(d -> d.get("status").asInt() == 204));
    assertThat(Ledgerline.get(config().commandUrl() + TOP_UPS + "/" + unknownTopUp).status())
        .isEqualTo(404);
    try (Connection db = Ledgerline.database();
        PreparedStatement ignored =
            db.prepareStatement(
                "select event_type, top_up_id, reason from gateway_event_ignored"
                    + " where intent_id = ?")) {
      ignored.setString(1, intent);
      try (ResultSet row = ignored.executeQuery()) {
        assertThat(row.next()).as("a recorded event of intent %s", intent).isTrue();
        assertThat(row.getString("event_type")).isEqualTo("payment_intent.succeeded");
        assertThat(row.getString("top_up_id")).isEqualTo(unknownTopUp);
        assertThat(row.getString("reason")).isEqualTo("unknown_top_up");
      }
    }
    assertThat(Ledgerline.queryAccountAwait(account).get("balance").asLong()).isZero();
    assertThat(scrape())
        .containsPattern(
            "ledgerline_topups_gateway_events_total\\{[^}]*outcome=\"unknown\"[^}]*} [1-9]");
  }

  @Test
  void aCustomerTopsUpOnlyItsOwnAccountsAndReadsOnlyItsOwnTopUps() {
    String theirs = openAccount("EUR", "someone-else-" + UUID.randomUUID());
    String mine = openAccount("EUR", customer);

    assertThat(requestTopUp(theirs, 100, null, null).status()).isEqualTo(403);
    assertThat(requestTopUp(UUID.randomUUID().toString(), 100, null, null).status()).isEqualTo(404);

    // An operator tops up the other account; its customer may not read it.
    Ledgerline.Response byOperator =
        post(
            config().commandUrl() + TOP_UPS,
            "{\"accountId\":\"" + theirs + "\",\"amount\":100}",
            Map.of());
    assertThat(byOperator.status()).as(byOperator.body()).isEqualTo(201);
    String topUp = byOperator.json().get("topUpId").asText();
    assertThat(
            Ledgerline.send(withCustomer(request(config().commandUrl() + TOP_UPS + "/" + topUp)))
                .status())
        .isEqualTo(403);
    awaitQuerySide(topUp, "AWAITING_PAYMENT");
    assertThat(
            Ledgerline.send(withCustomer(request(config().queryUrl() + TOP_UPS + "/" + topUp)))
                .status())
        .isEqualTo(403);
    assertThat(Ledgerline.send(withCustomer(request(config().queryUrl() + TOP_UPS))).status())
        .isEqualTo(400);
    assertThat(
            Ledgerline.send(
                    withCustomer(request(config().queryUrl() + TOP_UPS + "?accountId=" + mine)))
                .status())
        .isEqualTo(200);
  }

  @Test
  void badInputIsRefusedAndRecordsNothing() {
    String account = openAccount("EUR", customer);

    for (String body :
        List.of(
            "{\"accountId\":\"" + account + "\"}",
            "{\"accountId\":\"" + account + "\",\"amount\":0}",
            "{\"accountId\":\"" + account + "\",\"amount\":-5}",
            "{\"accountId\":\"" + account + "\",\"amount\":12.5}",
            "{\"accountId\":\"" + account + "\",\"amount\":\"100\"}",
            "{\"accountId\":\"" + account + "\",\"amount\":100000000}",
            "{\"accountId\":\"" + account + "\",\"amount\":100,\"currency\":\"eur\"}",
            "{\"accountId\":\"" + account + "\",\"amount\":100,\"tip\":5}",
            "{\"amount\":100}",
            "not json")) {
      Ledgerline.Response refused = post(config().commandUrl() + TOP_UPS, body, asCustomer);
      assertThat(refused.status()).as(body + " -> " + refused.body()).isEqualTo(400);
      assertThat(refused.contentType()).startsWith("application/problem+json");
    }
    Ledgerline.Response otherCurrency = requestTopUp(account, 100, "USD", null);
    assertThat(otherCurrency.status()).isEqualTo(422);
    assertThat(otherCurrency.json().get("type").asText())
        .isEqualTo("urn:ledgerline:problem:currency-mismatch");
    Ledgerline.Response page =
        Ledgerline.get(config().queryUrl() + TOP_UPS + "?accountId=" + account + "&status=PAID");
    assertThat(page.status()).isEqualTo(400);
    assertThat(
            Ledgerline.get(config().gatewayApiBase() + "/_simulator/requests").json().get("data"))
        .as("nothing reached the gateway")
        .isEmpty();
  }

  @Test
  void reconciliationFindsEverySucceededTopUpDepositedOnce() {
    String account = openAccount("EUR", customer);
    JsonNode started = startedTopUp(account, 2_000);
    pay(started);
    awaitBalance(account, 2_000);
    awaitQuerySide(started.get("topUpId").asText(), "SUCCEEDED");

    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              for (JsonNode projection :
                  Ledgerline.get(config().queryUrl() + "/api/v1/projections").json()) {
                assertThat(projection.get("lagEvents").asLong())
                    .as(projection.get("projection").asText())
                    .isZero();
              }
              var report =
                  post(config().queryUrl() + "/api/v1/admin/reconciliation", null, Map.of());
              assertThat(report.status()).isEqualTo(200);
              assertThat(report.json().get("differences")).as(report.body()).isEmpty();
              assertThat(report.json().get("topUpsChecked").asLong()).isPositive();
              assertThat(report.json().get("topUpsSucceeded").asLong()).isPositive();
              assertThat(report.json().get("topUpDeposits").asLong())
                  .isEqualTo(report.json().get("topUpsSucceeded").asLong());
            });
  }

  // --- helpers ---

  /** {@code POST /api/v1/topups} as the customer, with an {@code Idempotency-Key} when given. */
  private Ledgerline.Response requestTopUp(
      String account, long amount, String currency, String idempotencyKey) {
    var body = Ledgerline.JSON.createObjectNode().put("accountId", account).put("amount", amount);
    if (currency != null) {
      body.put("currency", currency);
    }
    Map<String, String> headers = new java.util.HashMap<>(asCustomer);
    if (idempotencyKey != null) {
      headers.put("Idempotency-Key", idempotencyKey);
    }
    return post(config().commandUrl() + TOP_UPS, body.toString(), headers);
  }

  /** A top-up awaiting payment: what {@code POST /api/v1/topups} answered. */
  private JsonNode startedTopUp(String account, long amount) {
    Ledgerline.Response response =
        requestTopUp(account, amount, null, "top-up-" + UUID.randomUUID());
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    assertThat(response.json().get("status").asText()).isEqualTo("AWAITING_PAYMENT");
    return response.json();
  }

  /** The customer pays the top-up's intent with a card that succeeds. */
  private static void pay(JsonNode started) {
    Ledgerline.Response paid =
        confirm(
            started.get("intentId").asText(), started.get("clientSecret").asText(), "pm_card_visa");
    assertThat(paid.status()).as(paid.body()).isEqualTo(200);
  }

  /** {@code POST /v1/payment_intents/{id}/confirm} with the client secret, as a browser does. */
  private static Ledgerline.Response confirm(String intent, String secret, String paymentMethod) {
    return Ledgerline.send(
        HttpRequest.newBuilder(
                URI.create(
                    config().gatewayApiBase() + "/v1/payment_intents/" + intent + "/confirm"))
            .timeout(Duration.ofSeconds(30))
            .header("X-Test-Anonymous", "true")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "client_secret=" + secret + "&payment_method=" + paymentMethod))
            .build());
  }

  private HttpRequest withCustomer(HttpRequest.Builder request) {
    return request.header("Authorization", asCustomer.get("Authorization")).build();
  }

  private static HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
  }

  /** The top-up on the command side, as an operator reads it. */
  private static JsonNode commandSide(String topUp) {
    Ledgerline.Response response = Ledgerline.get(config().commandUrl() + TOP_UPS + "/" + topUp);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static JsonNode awaitCommandSide(String topUp, String status, boolean credited) {
    JsonNode[] found = new JsonNode[1];
    await()
        .atMost(SETTLED)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              JsonNode read = commandSide(topUp);
              assertThat(read.get("status").asText()).as(read.toString()).isEqualTo(status);
              assertThat(read.get("credited").asBoolean()).as(read.toString()).isEqualTo(credited);
              found[0] = read;
            });
    return found[0];
  }

  private static JsonNode awaitQuerySide(String topUp, String status) {
    JsonNode[] found = new JsonNode[1];
    await()
        .atMost(SETTLED)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              Ledgerline.Response read =
                  Ledgerline.get(config().queryUrl() + TOP_UPS + "/" + topUp);
              assertThat(read.status()).as(read.body()).isEqualTo(200);
              assertThat(read.json().get("status").asText()).isEqualTo(status);
              found[0] = read.json();
            });
    return found[0];
  }

  private static void awaitBalance(String account, long balance) {
    await()
        .atMost(SETTLED)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              Ledgerline.Response read = Ledgerline.queryAccount(account);
              assertThat(read.status()).isEqualTo(200);
              assertThat(read.json().get("balance").asLong()).isEqualTo(balance);
            });
  }

  /** The deposits in the account's stored history that credit {@code topUp}. */
  private static long depositsOf(String account, String topUp) {
    JsonNode events =
        Ledgerline.get(config().queryUrl() + "/api/v1/audit/aggregates/" + account + "/events")
            .json()
            .get("items");
    long deposits = 0;
    for (JsonNode event : events) {
      if (event.get("type").asText().equals("FundsDeposited")
          && topUp.equals(event.get("payload").path("topUpId").asText(null))) {
        deposits++;
      }
    }
    return deposits;
  }

  /** The simulator's log of the creations of the top-up's intent (its idempotency key). */
  private static List<JsonNode> createsFor(String topUp) {
    List<JsonNode> found = new ArrayList<>();
    Ledgerline.get(config().gatewayApiBase() + "/_simulator/requests")
        .json()
        .get("data")
        .forEach(
            call -> {
              if (call.get("path").asText().equals("/v1/payment_intents")
                  && topUp.equals(call.path("idempotency_key").asText(null))) {
                found.add(call);
              }
            });
    return found;
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
    assertThat(post(config().gatewayApiBase() + "/_simulator/mode", json, Map.of()).status())
        .isEqualTo(200);
  }

  private static Ledgerline.Response webhook(String payload, String signature) {
    return post(
        config().commandUrl() + "/api/v1/gateway/webhooks",
        payload,
        Map.of("X-Test-Anonymous", "true", "Stripe-Signature", signature));
  }

  private static String hmac(String secret, String signed) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
  }

  private static String scrape() {
    return Ledgerline.get(config().commandUrl() + "/actuator/prometheus").body();
  }
}
