package io.ledgerline.command.gateway;

import io.ledgerline.platform.web.security.ApiAuthorizationRules;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;

/**
 * The payment gateway: Stripe's client when {@code ledgerline.gateway.api-base} and {@code api-key}
 * are set (else a gateway that is disabled), the webhook endpoint's verification and listeners, and
 * the one path the shared security opens for the gateway, which has no bearer token.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
class GatewayConfiguration {

  private static final Logger log = LoggerFactory.getLogger(GatewayConfiguration.class);

  @Bean
  PaymentGateway paymentGateway(GatewayProperties properties, MeterRegistry meters) {
    if (!properties.enabled()) {
      log.info(
          "No payment gateway configured (ledgerline.gateway.api-base and api-key): card top-ups"
              + " are unavailable");
      return new DisabledPaymentGateway();
    }
    log.info("Payment gateway at {}", properties.apiBase());
    if (!properties.receivesWebhooks()) {
      log.warn(
          "No ledgerline.gateway.webhook-secret: the gateway's webhooks are refused, so no payment"
              + " outcome arrives");
    }
    return new StripePaymentGateway(properties, meters);
  }

  @Bean
  GatewayWebhooks gatewayWebhooks(
      GatewayProperties properties,
      ObjectProvider<GatewayEventListener> listeners,
      MeterRegistry meters) {
    StripeSignatureVerifier verifier =
        properties.receivesWebhooks()
            ? new StripeSignatureVerifier(
                properties.webhookSecret(), properties.webhookTolerance(), Clock.systemUTC())
            : null;
    return new GatewayWebhooks(verifier, () -> listeners.orderedStream().toList(), meters);
  }

  /** Each verified event is logged, beside what the top-up process makes of it. */
  @Bean
  LoggingGatewayEventListener loggingGatewayEventListener() {
    return new LoggingGatewayEventListener();
  }

  /** The gateway cannot present a token: its webhooks prove themselves by their signature. */
  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  ApiAuthorizationRules gatewayWebhooksNeedNoToken() {
    return rules ->
        rules.requestMatchers(HttpMethod.POST, GatewayWebhookController.PATH).permitAll();
  }
}
