package io.ledgerline.infra.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator in-process on a loopback port, called over HTTP as the gateway client and the
 * system tests call it, with a webhook receiver of the test's own that checks every signature the
 * way Stripe documents it.
 */
class GatewaySimulatorTest {

  private static final String API_KEY = "sk_test_simulator_test";
  private static final String SECRET = "whsec_simulator_test";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Delivery> received = new CopyOnWriteArrayList<>();
  private final Queue<Integer> receiverAnswers = new ConcurrentLinkedQueue<>();
  private HttpServer receiver;
  private GatewaySimulator testSubject;

  /** One webhook as the receiver got it. */
  record Delivery(String signature, String body) {
    JsonNode event() throws IOException {
      return JSON.readTree(body);
    }
  }

  @BeforeEach
  void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    receiver.createContext(
        "/webhooks",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          received.add(
              new Delivery(
                  exchange.getRequestHeaders().getFirst("Stripe-Signature"),
                  new String(body, StandardCharsets.UTF_8)));
          Integer status = receiverAnswers.poll();
          exchange.sendResponseHeaders(status == null ? 200 : status, -1);
          exchange.close();
        });
    receiver.start();
    URI webhooks = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks");
    testSubject =
        GatewaySimulator.start(
            new GatewaySimulator.Settings(0, API_KEY, SECRET, webhooks), line -> {});
  }

  @AfterEach
  void stop() {
    testSubject.close();
    receiver.stop(0);
  }

  @Test
  void createsAPaymentIntentInStripesShape() throws Exception {
    HttpResponse<String> response =
        create(
            "top-up-1",
            "amount=1250&currency=EUR&metadata[top_up_id]=t-1&metadata[account_id]=a-1");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode intent = JSON.readTree(response.body());
    assertThat(intent.get("id").asText()).startsWith("pi_");
    assertThat(intent.get("object").asText()).isEqualTo("payment_intent");
    assertThat(intent.get("client_secret").asText())
        .startsWith(intent.get("id").asText() + "_secret_");
    assertThat(intent.get("amount").asLong()).isEqualTo(1250);
    assertThat(intent.get("currency").asText()).isEqualTo("eur");
    assertThat(intent.get("status").asText()).isEqualTo("requires_payment_method");
    assertThat(intent.get("metadata").get("top_up_id").asText()).isEqualTo("t-1");
    assertThat(intent.get("metadata").get("account_id").asText()).isEqualTo("a-1");

    HttpResponse<String> read = get("/v1/payment_intents/" + intent.get("id").asText(), API_KEY);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(read.body()).get("id")).isEqualTo(intent.get("id"));
  }

  @Test
  void aMissingOrWrongKeyIsA401AndCreatesNothing() throws Exception {
    for (String key : new String[] {null, "sk_test_someone_else"}) {
      HttpResponse<String> response =
          post("/v1/payment_intents", key, "k-" + key, "amount=100&currency=eur");
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(JSON.readTree(response.body()).at("/error/type").asText())
          .isEqualTo("invalid_request_error");
      assertThat(response.body()).doesNotContain("someone_else");
    }
  }

  @Test
  void theSameKeyAndParametersReplayTheFirstIntent() throws Exception {
    HttpResponse<String> first =
        create("top-up-2", "amount=500&currency=eur&metadata[top_up_id]=t-2");
    HttpResponse<String> again =
        create("top-up-2", "amount=500&currency=eur&metadata[top_up_id]=t-2");

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
  }

  @Test
  void theSameKeyWithOtherParametersIsAnIdempotencyError() throws Exception {
    create("top-up-3", "amount=500&currency=eur");

    HttpResponse<String> other = create("top-up-3", "amount=501&currency=eur");

    assertThat(other.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(other.body()).at("/error/type").asText())
        .isEqualTo("idempotency_error");
  }

  @Test
  void invalidParametersAreRefusedInStripesShape() throws Exception {
    HttpResponse<String> missing = create("v-1", "currency=eur");
    HttpResponse<String> unknown = create("v-2", "amount=100&currency=eur&colour=blue");
    HttpResponse<String> tooLarge = create("v-3", "amount=100000000&currency=eur");

    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(missing.body()).at("/error/code").asText())
        .isEqualTo("parameter_missing");
    assertThat(JSON.readTree(missing.body()).at("/error/param").asText()).isEqualTo("amount");
    assertThat(JSON.readTree(unknown.body()).at("/error/code").asText())
        .isEqualTo("parameter_unknown");
    assertThat(JSON.readTree(tooLarge.body()).at("/error/code").asText())
        .isEqualTo("amount_too_large");
    // A refused call is not remembered: the key can be used again once the call is right.
    assertThat(create("v-1", "amount=100&currency=eur").statusCode()).isEqualTo(200);
  }

  @Test
  void aConfirmationSendsASucceededEventSignedAsStripeSignsIt() throws Exception {
    JsonNode intent =
        JSON.readTree(create("top-up-4", "amount=700&currency=eur&metadata[top_up_id]=t-4").body());
    String id = intent.get("id").asText();

    // The customer's browser confirms with the client secret, without the secret key.
    HttpResponse<String> confirmed =
        post(
            "/v1/payment_intents/" + id + "/confirm",
            "pk_test_browser",
            null,
            "payment_method=pm_card_visa&client_secret=" + intent.get("client_secret").asText());

    assertThat(confirmed.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(confirmed.body()).get("status").asText()).isEqualTo("succeeded");
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    Delivery delivery = received.get(0);
    assertSignedWithTheSecret(delivery);
    JsonNode event = delivery.event();
    assertThat(event.get("id").asText()).startsWith("evt_");
    assertThat(event.get("object").asText()).isEqualTo("event");
    assertThat(event.get("type").asText()).isEqualTo("payment_intent.succeeded");
    assertThat(event.at("/data/object/id").asText()).isEqualTo(id);
    assertThat(event.at("/data/object/status").asText()).isEqualTo("succeeded");
    assertThat(event.at("/data/object/metadata/top_up_id").asText()).isEqualTo("t-4");
    assertThat(event.get("created").asLong())
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
  }

  @Test
  void aWrongClientSecretConfirmsNothing() throws Exception {
    String id =
        JSON.readTree(create("top-up-5", "amount=700&currency=eur").body()).get("id").asText();

    HttpResponse<String> response =
        post(
            "/v1/payment_intents/" + id + "/confirm",
            null,
            null,
            "client_secret=" + id + "_secret_x");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(
            JSON.readTree(get("/v1/payment_intents/" + id, API_KEY).body()).get("status").asText())
        .isEqualTo("requires_payment_method");
  }

  @Test
  void aDeclinedCardIsA402CardErrorAndAPaymentFailedEvent() throws Exception {
    String id =
        JSON.readTree(create("top-up-6", "amount=900&currency=eur").body()).get("id").asText();

    HttpResponse<String> declined =
        post(
            "/v1/payment_intents/" + id + "/confirm",
            API_KEY,
            "confirm-6",
            "payment_method=pm_card_chargeDeclinedInsufficientFunds");

    assertThat(declined.statusCode()).isEqualTo(402);
    JsonNode error = JSON.readTree(declined.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("card_error");
    assertThat(error.get("code").asText()).isEqualTo("card_declined");
    assertThat(error.get("decline_code").asText()).isEqualTo("insufficient_funds");
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    assertSignedWithTheSecret(received.get(0));
    JsonNode event = received.get(0).event();
    assertThat(event.get("type").asText()).isEqualTo("payment_intent.payment_failed");
    assertThat(event.at("/data/object/last_payment_error/decline_code").asText())
        .isEqualTo("insufficient_funds");
  }

  @Test
  void declineNextPaymentsDeclinesAnyCard() throws Exception {
    mode("{\"declineNextPayments\":1}");
    String first =
        JSON.readTree(create("d-1", "amount=100&currency=eur").body()).get("id").asText();
    String second =
        JSON.readTree(create("d-2", "amount=100&currency=eur").body()).get("id").asText();

    assertThat(
            post("/_simulator/payment_intents/" + first + "/succeed", null, null, "").statusCode())
        .isEqualTo(402);
    assertThat(
            post("/_simulator/payment_intents/" + second + "/succeed", null, null, "").statusCode())
        .isEqualTo(200);
  }

  @Test
  void failNextAnswersA5xxWithoutCarryingOutTheCall() throws Exception {
    mode("{\"failNext\":2,\"failStatus\":503}");

    HttpResponse<String> first = create("f-1", "amount=100&currency=eur");
    HttpResponse<String> second = create("f-1", "amount=100&currency=eur");
    HttpResponse<String> third = create("f-1", "amount=100&currency=eur");

    assertThat(first.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(first.body()).at("/error/type").asText()).isEqualTo("api_error");
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(third.headers().firstValue("Idempotent-Replayed")).isEmpty();
    JsonNode calls = JSON.readTree(get("/_simulator/requests", null).body()).get("data");
    assertThat(calls).hasSize(3);
    assertThat(calls.findValuesAsText("idempotency_key")).containsOnly("f-1");
  }

  @Test
  void timeoutNextCarriesOutTheCallButAnswersTooLate() throws Exception {
    mode("{\"timeoutNext\":1,\"timeoutMs\":2000}");
    HttpRequest slow =
        HttpRequest.newBuilder(URI.create(testSubject.url() + "/v1/payment_intents"))
            .timeout(Duration.ofMillis(300))
            .header("Authorization", "Bearer " + API_KEY)
            .header("Idempotency-Key", "t-1")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("amount=100&currency=eur"))
            .build();

    assertThatThrownBy(() -> http.send(slow, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    HttpResponse<String> retried = create("t-1", "amount=100&currency=eur");

    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(retried.headers().firstValue("Idempotent-Replayed")).contains("true");
  }

  @Test
  void duplicateWebhooksDeliversEachEventTwice() throws Exception {
    mode("{\"duplicateWebhooks\":true}");
    String id = JSON.readTree(create("w-1", "amount=100&currency=eur").body()).get("id").asText();

    post("/_simulator/payment_intents/" + id + "/succeed", null, null, "");

    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
    assertThat(received.get(0).event().get("id")).isEqualTo(received.get(1).event().get("id"));
    for (Delivery delivery : received) {
      assertSignedWithTheSecret(delivery);
    }
  }

  @Test
  void reorderWebhooksDeliversTheNewerEventFirst() throws Exception {
    mode("{\"reorderWebhooks\":true,\"reorderWindowMs\":5000}");
    String older =
        JSON.readTree(create("r-1", "amount=100&currency=eur").body()).get("id").asText();
    String newer =
        JSON.readTree(create("r-2", "amount=100&currency=eur").body()).get("id").asText();

    post("/_simulator/payment_intents/" + older + "/succeed", null, null, "");
    post("/_simulator/payment_intents/" + newer + "/fail", null, null, "");

    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
    assertThat(received.get(0).event().at("/data/object/id").asText()).isEqualTo(newer);
    assertThat(received.get(1).event().at("/data/object/id").asText()).isEqualTo(older);
  }

  @Test
  void aWebhookTheEndpointRefusesIsRetriedWithANewSignature() throws Exception {
    mode("{\"webhookRetryMs\":50}");
    receiverAnswers.add(500);
    receiverAnswers.add(400);
    String id = JSON.readTree(create("w-2", "amount=100&currency=eur").body()).get("id").asText();

    post("/_simulator/payment_intents/" + id + "/succeed", null, null, "");

    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
    assertThat(received).extracting(Delivery::body).containsOnly(received.get(0).body());
    for (Delivery delivery : received) {
      assertSignedWithTheSecret(delivery);
    }
    JsonNode log = JSON.readTree(get("/_simulator/webhooks", null).body()).get("data");
    assertThat(log.findValuesAsText("status")).containsExactly("500", "400", "200");
    assertThat(log.findValuesAsText("attempt")).containsExactly("1", "2", "3");
  }

  @Test
  void aResetForgetsIntentsKeysModesAndDeliveries() throws Exception {
    String id = JSON.readTree(create("x-1", "amount=100&currency=eur").body()).get("id").asText();
    mode("{\"failNext\":5}");

    assertThat(post("/_simulator/reset", null, null, "").statusCode()).isEqualTo(200);

    assertThat(get("/v1/payment_intents/" + id, API_KEY).statusCode()).isEqualTo(404);
    HttpResponse<String> again = create("x-1", "amount=200&currency=eur");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(get("/_simulator/mode", null).body()).get("failNext").asInt())
        .isZero();
  }

  @Test
  void aBadModeIsRefusedAndChangesNothing() throws Exception {
    HttpResponse<String> response =
        post("/_simulator/mode", null, null, "{\"failNext\":1,\"colour\":1}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(get("/_simulator/mode", null).body()).get("failNext").asInt())
        .isZero();
    assertThat(get("/health", null).statusCode()).isEqualTo(200);
  }

  /** Stripe's scheme: t=<seconds>,v1=<hex HMAC-SHA256 of "t.body" keyed with the secret>. */
  private static void assertSignedWithTheSecret(Delivery delivery) throws Exception {
    assertThat(delivery.signature()).matches("t=\\d+,v1=[0-9a-f]{64}");
    String timestamp = delivery.signature().substring(2, delivery.signature().indexOf(','));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected =
        HexFormat.of()
            .formatHex(
                mac.doFinal((timestamp + "." + delivery.body()).getBytes(StandardCharsets.UTF_8)));
    assertThat(delivery.signature()).endsWith(",v1=" + expected);
    assertThat(Long.parseLong(timestamp))
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
  }

  private HttpResponse<String> create(String idempotencyKey, String form) throws Exception {
    return post("/v1/payment_intents", API_KEY, idempotencyKey, form);
  }

  private void mode(String json) throws Exception {
    assertThat(post("/_simulator/mode", null, null, json).statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> post(String path, String key, String idempotencyKey, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(testSubject.url() + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String key) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(testSubject.url() + path))
            .timeout(Duration.ofSeconds(10));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
