package io.ledgerline.command.topup;

import io.ledgerline.command.api.AppendRaceRetry;
import io.ledgerline.command.gateway.GatewayException;
import io.ledgerline.command.gateway.PaymentGateway;
import io.ledgerline.command.gateway.PaymentIntent;
import io.ledgerline.command.topup.TopUpCommands.FailTopUp;
import io.ledgerline.command.topup.TopUpCommands.RecordTopUpIntent;
import io.ledgerline.command.topup.TopUpRequests.TopUpStarted;
import io.ledgerline.command.topup.TopUpStatusTable.Row;
import io.ledgerline.events.TopUpFailed;
import java.time.Duration;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The gateway's part of a requested top-up: the payment intent the customer pays through. Called
 * after the request is recorded, and again by every retry of it (the same {@code Idempotency-Key}
 * finds the same top-up), so each call only continues where the last one stopped: an intent not
 * created yet is created with the top-up id as the gateway's idempotency key (a repeat gets the
 * same intent, never a second charge), an intent already recorded is read back for its client
 * secret.
 */
@Component
class TopUpPayments {

  private static final Logger log = LoggerFactory.getLogger(TopUpPayments.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  // Eight attempts: up to about 0.16 s of pauses, then the race is the caller's to report.
  private static final AppendRaceRetry RACES = AppendRaceRetry.attempts(8);

  private final PaymentGateway gateway;
  private final CommandGateway commands;
  private final TopUpStatusTable topUps;

  TopUpPayments(PaymentGateway gateway, CommandGateway commands, TopUpStatusTable topUps) {
    this.gateway = gateway;
    this.commands = commands;
    this.topUps = topUps;
  }

  /** Whether a gateway is configured: without one no top-up is taken. */
  boolean enabled() {
    return gateway.isEnabled();
  }

  /**
   * The top-up's intent and its client secret, created at the gateway if need be and recorded.
   *
   * @param metadata the request's, for the commands this sends
   * @throws GatewayException when the gateway fails ({@link GatewayException.Kind#UNAVAILABLE}: the
   *     top-up stays as it was, to be continued by a retry) or refuses (the top-up fails with
   *     {@value TopUpFailed#INTENT_REFUSED} when it had no intent yet)
   */
  TopUpStarted pay(String topUpId, MetaData metadata) {
    Row topUp =
        topUps
            .find(topUpId)
            .orElseThrow(() -> new IllegalStateException("top-up " + topUpId + " is not recorded"));
    if (topUp.status() == TopUpStatus.SUCCEEDED) {
      return started(topUp, topUp.status(), topUp.intentId(), null);
    }
    if (topUp.intentId() == null && topUp.status() == TopUpStatus.FAILED) {
      throw refusedEarlier(topUp);
    }
    PaymentIntent intent;
    try {
      intent =
          topUp.intentId() != null
              ? gateway.retrievePaymentIntent(topUp.intentId())
              : gateway.createPaymentIntent(
                  topUpId, topUp.accountId(), topUp.amount(), topUp.currency());
    } catch (GatewayException e) {
      if (topUp.intentId() == null
          && (e.kind() == GatewayException.Kind.INVALID_REQUEST
              || e.kind() == GatewayException.Kind.DECLINED)) {
        // Asking again changes nothing: the top-up ends here, and says why.
        log.warn("The gateway refused the intent of top-up {}: {}", topUpId, e.getMessage());
        send(new FailTopUp(topUpId, null, TopUpFailed.INTENT_REFUSED), metadata);
      }
      throw e;
    }
    TopUpStatus status = topUp.status();
    if (!intent.id().equals(topUp.intentId())) {
      status = (TopUpStatus) send(new RecordTopUpIntent(topUpId, intent.id()), metadata);
    }
    return started(
        topUp, status, intent.id(), status == TopUpStatus.SUCCEEDED ? null : intent.clientSecret());
  }

  private static TopUpStarted started(
      Row topUp, TopUpStatus status, String intentId, String clientSecret) {
    return new TopUpStarted(
        topUp.topUpId(),
        topUp.accountId(),
        topUp.amount(),
        topUp.currency(),
        status,
        intentId,
        clientSecret);
  }

  private static GatewayException refusedEarlier(Row topUp) {
    return new GatewayException(
        GatewayException.Kind.INVALID_REQUEST,
        "the payment gateway refused the payment intent of top-up "
            + topUp.topUpId()
            + "; it failed ("
            + topUp.failureCode()
            + ")",
        topUp.failureCode(),
        null,
        null);
  }

  /** A command of this request; one that lost an append race is decided again. */
  private Object send(Object command, MetaData metadata) {
    return RACES.sendAndWait(commands::sendAndWait, command, metadata, TIMEOUT);
  }
}
