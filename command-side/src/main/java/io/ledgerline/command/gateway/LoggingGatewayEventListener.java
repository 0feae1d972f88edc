package io.ledgerline.command.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each verified event: its id, type and intent. Never a client secret. */
final class LoggingGatewayEventListener implements GatewayEventListener {

  private static final Logger log = LoggerFactory.getLogger(LoggingGatewayEventListener.class);

  @Override
  public void onEvent(GatewayEvent event) {
    if (event.isAboutPaymentIntent()) {
      PaymentIntent intent = event.paymentIntent();
      log.info(
          "Gateway event {} {}: intent {} {} (top-up {}, account {}{})",
          event.id(),
          event.type(),
          intent.id(),
          intent.status(),
          intent.topUpId().orElse("-"),
          intent.accountId().orElse("-"),
          intent.failureCode() == null ? "" : ", " + intent.failureCode());
    } else {
      log.info("Gateway event {} {}", event.id(), event.type());
    }
  }
}
