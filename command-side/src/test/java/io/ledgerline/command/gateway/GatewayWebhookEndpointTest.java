package io.ledgerline.command.gateway;

import static io.ledgerline.command.gateway.GatewayWebhooksTest.SUCCEEDED;
import static io.ledgerline.command.gateway.GatewayWebhooksTest.bytes;
import static io.ledgerline.command.gateway.StripeSignatureVerifierTest.hmac;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.ledgerline.platform.web.limits.RequestBodyLimitFilter;
import io.ledgerline.platform.web.limits.RequestLimitsAutoConfiguration;
import io.ledgerline.platform.web.security.ApiSecurityAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.Filter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/**
 * The webhook endpoint behind the service's real edge (platform-web's filter chain with token
 * checks, the body limit): open without a token for the gateway, closed to anything unsigned.
 */
class GatewayWebhookEndpointTest {

  private static final String SECRET = "whsec_webhooks_test";

  @TempDir static Path keys;
  private static Path publicKey;

  private final List<GatewayEvent> handled = new CopyOnWriteArrayList<>();

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ApiSecurityAutoConfiguration.class,
                  SecurityAutoConfiguration.class,
                  UserDetailsServiceAutoConfiguration.class,
                  OAuth2ResourceServerAutoConfiguration.class,
                  RequestLimitsAutoConfiguration.class,
                  JacksonAutoConfiguration.class,
                  HttpMessageConvertersAutoConfiguration.class,
                  DispatcherServletAutoConfiguration.class,
                  WebMvcAutoConfiguration.class))
          .withUserConfiguration(GatewayConfiguration.class, GatewayWebhookController.class)
          .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
          .withBean(GatewayEventListener.class, () -> handled::add)
          .withPropertyValues(
              "ledgerline.security.jwt.issuer=test-issuer",
              "ledgerline.security.jwt.audience=ledgerline",
              "ledgerline.security.jwt.public-key-location=file:" + publicKey,
              "ledgerline.gateway.webhook-secret=" + SECRET);

  @BeforeAll
  static void tokenKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    publicKey = keys.resolve("public.pem");
    Files.writeString(
        publicKey,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder()
                .encodeToString(generator.generateKeyPair().getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n",
        StandardCharsets.US_ASCII);
  }

  @Test
  void aSignedWebhookNeedsNoTokenAndReachesTheListeners() {
    runner.run(
        context -> {
          MockHttpServletResponse response =
              perform(context, webhook(SUCCEEDED, signature(SUCCEEDED, SECRET, now())));

          assertThat(response.getStatus()).isEqualTo(204);
          assertThat(handled).extracting(GatewayEvent::id).containsExactly("evt_1");
        });
  }

  @Test
  void aWebhookWithoutSignatureIsA400ProblemAndChangesNothing() {
    runner.run(
        context -> {
          MockHttpServletResponse response = perform(context, webhook(SUCCEEDED, null));

          assertThat(response.getStatus()).isEqualTo(400);
          assertThat(response.getContentType()).startsWith("application/problem+json");
          assertThat(response.getContentAsString())
              .contains("urn:ledgerline:problem:malformed-webhook-signature");
          assertThat(handled).isEmpty();
        });
  }

  @Test
  void aForgedOrStaleWebhookIsA401ProblemAndChangesNothing() {
    runner.run(
        context -> {
          for (String signature :
              List.of(
                  signature(SUCCEEDED, "whsec_forger", now()),
                  signature(SUCCEEDED, SECRET, now() - 3600))) {
            MockHttpServletResponse response = perform(context, webhook(SUCCEEDED, signature));

            assertThat(response.getStatus()).isEqualTo(401);
            assertThat(response.getContentType()).startsWith("application/problem+json");
            assertThat(response.getContentAsString())
                .contains("urn:ledgerline:problem:invalid-webhook-signature");
          }
          assertThat(handled).isEmpty();
        });
  }

  @Test
  void aTamperedBodyIsRefused() {
    runner.run(
        context -> {
          String signature = signature(SUCCEEDED, SECRET, now());
          String tampered = SUCCEEDED.replace("1250", "125000");

          assertThat(perform(context, webhook(tampered, signature)).getStatus()).isEqualTo(401);
          assertThat(handled).isEmpty();
        });
  }

  @Test
  void aWebhookOverTheBodyLimitIsA413() {
    runner
        .withPropertyValues("ledgerline.api.max-body-size=1KB")
        .run(
            context -> {
              String large =
                  SUCCEEDED.replace("\"request\":null", "\"pad\":\"" + "x".repeat(2000) + "\"");

              MockHttpServletResponse response =
                  perform(context, webhook(large, signature(large, SECRET, now())));

              assertThat(response.getStatus()).isEqualTo(413);
              assertThat(handled).isEmpty();
            });
  }

  @Test
  void onlyThatPathAndMethodAreOpen() {
    runner.run(
        context -> {
          assertThat(perform(context, get(GatewayWebhookController.PATH)).getStatus())
              .isEqualTo(401);
          assertThat(
                  perform(
                          context,
                          post("/api/v1/gateway/webhooks/other")
                              .contentType(MediaType.APPLICATION_JSON)
                              .content("{}"))
                      .getStatus())
              .isEqualTo(401);
          assertThat(
                  perform(
                          context,
                          post("/api/v1/accounts")
                              .contentType(MediaType.APPLICATION_JSON)
                              .content("{}"))
                      .getStatus())
              .isEqualTo(401);
        });
  }

  @Test
  void withoutASigningSecretWebhooksAreA503() {
    runner
        .withPropertyValues("ledgerline.gateway.webhook-secret=")
        .run(
            context -> {
              MockHttpServletResponse response =
                  perform(context, webhook(SUCCEEDED, signature(SUCCEEDED, SECRET, now())));

              assertThat(response.getStatus()).isEqualTo(503);
              assertThat(response.getContentAsString())
                  .contains("urn:ledgerline:problem:gateway-disabled");
              assertThat(handled).isEmpty();
            });
  }

  @Test
  void withoutAnApiBaseAndKeyTheGatewayIsDisabled() {
    runner.run(
        context -> {
          PaymentGateway gateway = context.getBean(PaymentGateway.class);

          assertThat(gateway.isEnabled()).isFalse();
          assertThatThrownBy(() -> gateway.createPaymentIntent("t-1", "a-1", 100, "EUR"))
              .isInstanceOfSatisfying(
                  GatewayException.class,
                  e -> assertThat(e.kind()).isEqualTo(GatewayException.Kind.DISABLED));
        });
  }

  @Test
  void withAnApiBaseAndKeyTheGatewayIsStripes() {
    runner
        .withPropertyValues(
            "ledgerline.gateway.api-base=http://127.0.0.1:1",
            "ledgerline.gateway.api-key=sk_test_x",
            "ledgerline.gateway.read-timeout=3s",
            "ledgerline.gateway.retry.max-attempts=5",
            "ledgerline.gateway.circuit-breaker.minimum-number-of-calls=4")
        .run(
            context -> {
              assertThat(context.getBean(PaymentGateway.class))
                  .isInstanceOf(StripePaymentGateway.class);
              GatewayProperties properties = context.getBean(GatewayProperties.class);
              assertThat(properties.readTimeout()).hasSeconds(3);
              assertThat(properties.connectTimeout()).hasSeconds(2);
              assertThat(properties.retry().maxAttempts()).isEqualTo(5);
              assertThat(properties.circuitBreaker().minimumNumberOfCalls()).isEqualTo(4);
              assertThat(properties.circuitBreaker().slidingWindowSize()).isEqualTo(20);
              assertThat(properties.toString()).doesNotContain("sk_test_x");
            });
  }

  private static MockHttpServletRequestBuilder webhook(String payload, String signature) {
    MockHttpServletRequestBuilder request =
        post(GatewayWebhookController.PATH)
            .contentType("application/json; charset=utf-8")
            .content(bytes(payload));
    return signature == null ? request : request.header("Stripe-Signature", signature);
  }

  private static String signature(String payload, String secret, long timestamp) {
    return "t=" + timestamp + ",v1=" + hmac(secret, timestamp, bytes(payload));
  }

  private static long now() {
    return Instant.now().getEpochSecond();
  }

  private static MockHttpServletResponse perform(
      AssertableWebApplicationContext context, MockHttpServletRequestBuilder request)
      throws Exception {
    MockMvc mvc =
        MockMvcBuilders.webAppContextSetup(context)
            .addFilters(
                context.getBean(RequestBodyLimitFilter.class),
                context.getBean("springSecurityFilterChain", Filter.class))
            .build();
    return mvc.perform(request).andReturn().getResponse();
  }
}
