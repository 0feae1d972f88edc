package io.ledgerline.command.gateway;

import static io.ledgerline.command.gateway.StripeSignatureVerifierTest.hmac;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayWebhooksTest {

  private static final String SECRET = "whsec_webhooks_test";

  static final String SUCCEEDED =
      """
      {"id":"evt_1","object":"event","api_version":"2026-07-29.dahlia","created":1767268800,
       "type":"payment_intent.succeeded","livemode":false,"pending_webhooks":1,"request":null,
       "data":{"object":{"id":"pi_1","object":"payment_intent","amount":1250,"currency":"eur",
         "status":"succeeded","client_secret":"pi_1_secret_abc","some_new_field":{"x":1},
         "metadata":{"top_up_id":"t-1","account_id":"a-1"},"last_payment_error":null}}}
      """;

  static final String FAILED =
      """
      {"id":"evt_2","object":"event","created":1767268800,"type":"payment_intent.payment_failed",
       "data":{"object":{"id":"pi_2","object":"payment_intent","amount":900,"currency":"eur",
         "status":"requires_payment_method","metadata":{"top_up_id":"t-2"},
         "last_payment_error":{"type":"card_error","code":"card_declined",
           "decline_code":"insufficient_funds"}}}}
      """;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<GatewayEvent> handled = new ArrayList<>();
  private final GatewayWebhooks testSubject =
      new GatewayWebhooks(
          new StripeSignatureVerifier(SECRET, Duration.ofMinutes(5), Clock.systemUTC()),
          () -> List.of(handled::add),
          meters);

  @Test
  void aVerifiedSucceededEventReachesTheListenersWithTheIntentsMetadata() {
    GatewayEvent event = testSubject.receive(bytes(SUCCEEDED), signed(SUCCEEDED));

    assertThat(handled).containsExactly(event);
    assertThat(event.id()).isEqualTo("evt_1");
    assertThat(event.type()).isEqualTo(GatewayEvent.PAYMENT_INTENT_SUCCEEDED);
    assertThat(event.created()).isEqualTo(Instant.ofEpochSecond(1767268800));
    PaymentIntent intent = event.paymentIntent();
    assertThat(intent.id()).isEqualTo("pi_1");
    assertThat(intent.succeeded()).isTrue();
    assertThat(intent.amountMinor()).isEqualTo(1250);
    assertThat(intent.currency()).isEqualTo("EUR");
    assertThat(intent.topUpId()).contains("t-1");
    assertThat(intent.accountId()).contains("a-1");
    assertThat(intent.clientSecret()).as("never handed on").isNull();
    assertThat(count("payment_intent.succeeded", "accepted")).isEqualTo(1);
  }

  @Test
  void aFailedEventCarriesTheDeclineCode() {
    GatewayEvent event = testSubject.receive(bytes(FAILED), signed(FAILED));

    assertThat(event.type()).isEqualTo(GatewayEvent.PAYMENT_INTENT_FAILED);
    assertThat(event.paymentIntent().succeeded()).isFalse();
    assertThat(event.paymentIntent().failureCode()).isEqualTo("insufficient_funds");
    assertThat(event.paymentIntent().accountId()).isEmpty();
  }

  @Test
  void aForgedEventReachesNoListener() {
    long t = Instant.now().getEpochSecond();
    String forged = "t=" + t + ",v1=" + hmac("whsec_forger", t, bytes(SUCCEEDED));

    assertThatThrownBy(() -> testSubject.receive(bytes(SUCCEEDED), forged))
        .isInstanceOf(WebhookSignatureException.class);
    assertThat(handled).isEmpty();
    assertThat(count("unknown", "refused")).isEqualTo(1);
  }

  @Test
  void aSignedPayloadThatIsNotAnEventReachesNoListener() {
    for (String payload :
        List.of(
            "not json",
            "[1,2]",
            "{\"id\":\"evt_3\",\"object\":\"charge\",\"type\":\"x\"}",
            "{\"object\":\"event\",\"type\":\"payment_intent.succeeded\"}",
            "{\"id\":\"evt_4\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\","
                + "\"data\":{\"object\":{\"object\":\"charge\"}}}")) {
      assertThatThrownBy(() -> testSubject.receive(bytes(payload), signed(payload)))
          .as(payload)
          .isInstanceOf(GatewayWebhooks.MalformedEvent.class);
    }
    assertThat(handled).isEmpty();
  }

  @Test
  void anEventOfAnotherTypeIsHandedOnWithoutAnIntent() {
    String payload =
        "{\"id\":\"evt_5\",\"object\":\"event\",\"type\":\"charge.refunded\",\"created\":1,"
            + "\"data\":{\"object\":{\"id\":\"ch_1\",\"object\":\"charge\"}}}";

    GatewayEvent event = testSubject.receive(bytes(payload), signed(payload));

    assertThat(event.isAboutPaymentIntent()).isFalse();
    assertThat(handled).containsExactly(event);
    assertThat(count("other", "accepted")).isEqualTo(1);
  }

  @Test
  void aListenerFailureFailsTheWebhookSoThatTheGatewaySendsItAgain() {
    GatewayWebhooks failing =
        new GatewayWebhooks(
            new StripeSignatureVerifier(SECRET, Duration.ofMinutes(5), Clock.systemUTC()),
            () ->
                List.of(
                    event -> {
                      throw new IllegalStateException("database down");
                    }),
            meters);

    assertThatThrownBy(() -> failing.receive(bytes(SUCCEEDED), signed(SUCCEEDED)))
        .hasMessage("database down");
    assertThat(count("payment_intent.succeeded", "failed")).isEqualTo(1);
  }

  @Test
  void withoutASecretEveryWebhookIsRefused() {
    GatewayWebhooks unconfigured = new GatewayWebhooks(null, () -> List.of(handled::add), meters);

    assertThatThrownBy(() -> unconfigured.receive(bytes(SUCCEEDED), signed(SUCCEEDED)))
        .isInstanceOf(GatewayWebhooks.NotConfigured.class);
    assertThat(handled).isEmpty();
  }

  private double count(String type, String outcome) {
    var counter =
        meters.find(GatewayWebhooks.WEBHOOKS).tag("type", type).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  static byte[] bytes(String payload) {
    return payload.getBytes(StandardCharsets.UTF_8);
  }

  static String signed(String payload) {
    long t = Instant.now().getEpochSecond();
    return "t=" + t + ",v1=" + hmac(SECRET, t, bytes(payload));
  }
}
