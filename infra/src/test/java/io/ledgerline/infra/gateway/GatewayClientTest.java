package io.ledgerline.infra.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerline.command.gateway.GatewayException;
import io.ledgerline.command.gateway.GatewayProperties;
import io.ledgerline.command.gateway.PaymentIntent;
import io.ledgerline.command.gateway.StripePaymentGateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The command side's gateway client (Stripe's official client behind Resilience4j) against the
 * simulator in-process on a loopback port: the wire format both speak, the idempotency key that
 * makes retries safe, and the faults the client must survive.
 */
class GatewayClientTest {

  private static final String API_KEY = "sk_test_client_test";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private GatewaySimulator simulator;
  private StripePaymentGateway testSubject;

  @BeforeEach
  void start() throws IOException {
    simulator =
        GatewaySimulator.start(
            new GatewaySimulator.Settings(0, API_KEY, "whsec_client_test", null), line -> {});
    testSubject = gateway(simulator.url(), API_KEY);
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  /** Short timeouts and backoffs; a breaker that opens after four failed calls of four. */
  private StripePaymentGateway gateway(String apiBase, String apiKey) {
    return new StripePaymentGateway(
        new GatewayProperties(
            apiBase,
            apiKey,
            "whsec_client_test",
            Duration.ofSeconds(1),
            Duration.ofMillis(700),
            null,
            new GatewayProperties.Retry(3, Duration.ofMillis(10), 2.0, Duration.ofMillis(50)),
            new GatewayProperties.CircuitBreaker(50f, 4, 4, Duration.ofMinutes(1), 1)),
        meters);
  }

  @Test
  void createsAnIntentKeyedByTheTopUpWithItsMetadata() throws Exception {
    PaymentIntent intent = testSubject.createPaymentIntent("top-up-1", "account-1", 1250, "EUR");

    assertThat(intent.id()).startsWith("pi_");
    assertThat(intent.clientSecret()).startsWith(intent.id() + "_secret_");
    assertThat(intent.status()).isEqualTo("requires_payment_method");
    assertThat(intent.amountMinor()).isEqualTo(1250);
    assertThat(intent.currency()).isEqualTo("EUR");
    assertThat(intent.topUpId()).contains("top-up-1");
    assertThat(intent.accountId()).contains("account-1");
    assertThat(requests())
        .extracting(call -> call.get("idempotency_key").asText())
        .containsExactly("top-up-1");
    assertThat(testSubject.retrievePaymentIntent(intent.id())).isEqualTo(intent);
  }

  @Test
  void theSameTopUpGetsTheSameIntent() {
    PaymentIntent first = testSubject.createPaymentIntent("top-up-2", "account-1", 500, "EUR");
    PaymentIntent again = testSubject.createPaymentIntent("top-up-2", "account-1", 500, "EUR");

    assertThat(again).isEqualTo(first);
  }

  @Test
  void theSameTopUpWithAnotherAmountIsRefusedAndNotRetried() throws Exception {
    testSubject.createPaymentIntent("top-up-3", "account-1", 500, "EUR");

    assertThatThrownBy(() -> testSubject.createPaymentIntent("top-up-3", "account-1", 600, "EUR"))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(GatewayException.Kind.INVALID_REQUEST);
              assertThat(e.code()).contains("idempotency_error");
              assertThat(e.isRetryable()).isFalse();
            });
    assertThat(requests()).hasSize(2);
  }

  @Test
  void a5xxIsRetriedWithTheSameKeyAndMakesOneIntent() throws Exception {
    mode("{\"failNext\":2,\"failStatus\":500}");

    PaymentIntent intent = testSubject.createPaymentIntent("top-up-4", "account-1", 700, "EUR");

    List<JsonNode> calls = requests();
    assertThat(calls).extracting(call -> call.get("status").asInt()).containsExactly(500, 500, 200);
    assertThat(calls)
        .extracting(call -> call.get("idempotency_key").asText())
        .containsOnly("top-up-4");
    assertThat(testSubject.createPaymentIntent("top-up-4", "account-1", 700, "EUR"))
        .isEqualTo(intent);
    assertThat(
            meters
                .get("resilience4j.retry.calls")
                .tag("name", StripePaymentGateway.NAME)
                .tag("kind", "successful_with_retry")
                .functionCounter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aCallTheGatewayCarriedOutButAnsweredTooLateIsRetriedIntoTheSameIntent() throws Exception {
    mode("{\"timeoutNext\":1,\"timeoutMs\":3000}");

    PaymentIntent intent = testSubject.createPaymentIntent("top-up-5", "account-1", 800, "EUR");

    // The first call is logged once its late answer went out.
    await().atMost(Duration.ofSeconds(10)).until(() -> requests().size() == 2);
    JsonNode retry =
        requests().stream()
            .filter(call -> call.get("replayed").asBoolean())
            .findFirst()
            .orElseThrow();
    assertThat(retry.get("idempotency_key").asText()).isEqualTo("top-up-5");
    assertThat(testSubject.retrievePaymentIntent(intent.id()).topUpId()).contains("top-up-5");
  }

  @Test
  void aGatewayThatKeepsFailingIsUnavailableAfterTheRetries() throws Exception {
    mode("{\"failNext\":3,\"failStatus\":503}");

    assertThatThrownBy(() -> testSubject.createPaymentIntent("top-up-6", "account-1", 100, "EUR"))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(GatewayException.Kind.UNAVAILABLE);
              assertThat(e.isRetryable()).isTrue();
            });
    assertThat(requests()).hasSize(3);
  }

  @Test
  void theCircuitOpensAfterFailuresAndThenCallsFailWithoutReachingTheGateway() throws Exception {
    mode("{\"failNext\":100}");

    for (String topUp : List.of("top-up-7", "top-up-8")) {
      assertThatThrownBy(() -> testSubject.createPaymentIntent(topUp, "account-1", 100, "EUR"))
          .isInstanceOf(GatewayException.class);
    }
    int reached = requests().size();
    assertThat(testSubject.circuitState()).isEqualTo("OPEN");

    assertThatThrownBy(() -> testSubject.createPaymentIntent("top-up-9", "account-1", 100, "EUR"))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(GatewayException.Kind.UNAVAILABLE);
              assertThat(e.code()).contains("circuit_open");
            });
    assertThat(requests()).hasSize(reached);
    assertThat(
            meters
                .get("resilience4j.circuitbreaker.state")
                .tag("name", StripePaymentGateway.NAME)
                .tag("state", "open")
                .gauge()
                .value())
        .isEqualTo(1);
    assertThat(
            meters
                .get("ledgerline.gateway.calls")
                .tag("operation", "create_payment_intent")
                .tag("outcome", "unavailable")
                .timer()
                .count())
        .isEqualTo(3);
  }

  @Test
  void refusalsAreAnswersThatNeitherRetryNorOpenTheCircuit() throws Exception {
    StripePaymentGateway wrongKey = gateway(simulator.url(), "sk_test_wrong");

    for (int i = 0; i < 6; i++) {
      String topUp = "top-up-10-" + i;
      assertThatThrownBy(() -> wrongKey.createPaymentIntent(topUp, "account-1", 100, "EUR"))
          .isInstanceOfSatisfying(
              GatewayException.class,
              e -> assertThat(e.kind()).isEqualTo(GatewayException.Kind.INVALID_REQUEST));
    }
    assertThat(requests()).hasSize(6);
    assertThat(wrongKey.circuitState()).isEqualTo("CLOSED");
  }

  @Test
  void anUnknownIntentIsAnInvalidRequest() {
    assertThatThrownBy(() -> testSubject.retrievePaymentIntent("pi_unknown"))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(GatewayException.Kind.INVALID_REQUEST);
              assertThat(e.code()).contains("resource_missing");
            });
  }

  @Test
  void aDeclinedPaymentReadsAsTheIntentsFailure() throws Exception {
    PaymentIntent intent = testSubject.createPaymentIntent("top-up-11", "account-1", 100, "EUR");
    control("/_simulator/payment_intents/" + intent.id() + "/fail");

    PaymentIntent read = testSubject.retrievePaymentIntent(intent.id());

    assertThat(read.succeeded()).isFalse();
    assertThat(read.status()).isEqualTo("requires_payment_method");
    assertThat(read.failureCode()).isEqualTo("generic_decline");
  }

  @Test
  void anUnreachableGatewayIsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    StripePaymentGateway unreachable = gateway("http://127.0.0.1:" + closedPort, API_KEY);

    assertThatThrownBy(() -> unreachable.createPaymentIntent("top-up-12", "account-1", 100, "EUR"))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> assertThat(e.kind()).isEqualTo(GatewayException.Kind.UNAVAILABLE));
  }

  private void mode(String json) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(simulator.url() + "/_simulator/mode"))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private void control(String path) throws Exception {
    http.send(
        HttpRequest.newBuilder(URI.create(simulator.url() + path))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The API calls the simulator saw, oldest first. */
  private List<JsonNode> requests() throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(URI.create(simulator.url() + "/_simulator/requests"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    List<JsonNode> calls = new java.util.ArrayList<>();
    JSON.readTree(body).get("data").forEach(calls::add);
    return calls;
  }
}
