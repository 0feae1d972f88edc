package io.ledgerline.command.topup;

import io.ledgerline.command.api.AppendRaceRetry;
import io.ledgerline.command.api.RequestMetadata;
import io.ledgerline.command.gateway.GatewayEvent;
import io.ledgerline.command.gateway.GatewayEventListener;
import io.ledgerline.command.gateway.PaymentIntent;
import io.ledgerline.command.topup.TopUpCommands.FailTopUp;
import io.ledgerline.command.topup.TopUpCommands.SucceedTopUp;
import io.ledgerline.events.TopUpFailed;
import io.ledgerline.platform.web.correlation.CorrelationIdFilter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Turns the gateway's verified payment events into the outcome of their top-up: {@code
 * payment_intent.succeeded} succeeds it (its deposit follows through {@link TopUpProcess}), {@code
 * payment_intent.payment_failed} fails it. Each command is decided by the {@link TopUp} itself, so
 * a redelivered or out-of-order event changes nothing, and the webhook's answer depends on the
 * top-up alone, never on the account.
 *
 * <p>An event that no top-up can take (its intent names no top-up of this ledger, or does not match
 * its top-up) is logged, counted and recorded in {@link IgnoredGatewayEvents}, and answered 2xx:
 * sending it again would change nothing, so the gateway is to stop. Any other failure (the database
 * unreachable) fails the webhook, and the gateway delivers it again later. Counted as {@code
 * ledgerline_topups_gateway_events_total{type,outcome}}, outcome {@code recorded}, {@code
 * unchanged}, {@code unknown} or {@code mismatch}.
 */
@Component
class TopUpGatewayListener implements GatewayEventListener {

  /** The subject of the commands and events a webhook causes: the gateway acted, not a person. */
  static final String SUBJECT = "payment-gateway";

  static final String EVENTS = "ledgerline.topups.gateway.events";

  private static final Logger log = LoggerFactory.getLogger(TopUpGatewayListener.class);
  private static final Pattern TOP_UP_ID =
      Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
  private static final Pattern FAILURE_CODE = Pattern.compile("[a-z0-9_]{1,64}");
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  // Eight attempts: up to about 0.16 s of pauses, then the race is the caller's to report.
  private static final AppendRaceRetry RACES = AppendRaceRetry.attempts(8);

  private final CommandGateway commands;
  private final KnownTopUps topUps;
  private final IgnoredGatewayEvents ignored;
  private final Meter.MeterProvider<Counter> counted;

  TopUpGatewayListener(
      CommandGateway commands,
      KnownTopUps topUps,
      IgnoredGatewayEvents ignored,
      MeterRegistry meters) {
    this.commands = commands;
    this.topUps = topUps;
    this.ignored = ignored;
    this.counted =
        Counter.builder(EVENTS)
            .description("The gateway's payment events by type and what they did to their top-up")
            .withRegistry(meters);
  }

  @Override
  public void onEvent(GatewayEvent event) {
    boolean succeeded = GatewayEvent.PAYMENT_INTENT_SUCCEEDED.equals(event.type());
    boolean failed = GatewayEvent.PAYMENT_INTENT_FAILED.equals(event.type());
    if (!(succeeded || failed) || !event.isAboutPaymentIntent()) {
      return; // Not a payment's outcome: no top-up waits for it.
    }
    PaymentIntent intent = event.paymentIntent();
    Optional<String> topUpId = intent.topUpId().filter(id -> TOP_UP_ID.matcher(id).matches());
    if (topUpId.isEmpty() || !topUps.exists(topUpId.get())) {
      unknown(event, intent);
      return;
    }
    Object command =
        succeeded
            ? new SucceedTopUp(
                topUpId.get(),
                intent.id(),
                intent.accountId().orElse(null),
                intent.amountMinor(),
                intent.currency())
            : new FailTopUp(topUpId.get(), intent.id(), failureCode(intent));
    TopUpOutcome outcome;
    try {
      outcome = send(command, event);
    } catch (AggregateNotFoundException gone) {
      unknown(event, intent);
      return;
    }
    switch (outcome) {
      case RECORDED ->
          log.info(
              "Top-up {} {} by gateway event {} (intent {})",
              topUpId.get(),
              succeeded ? "succeeded" : "failed",
              event.id(),
              intent.id());
      case UNCHANGED ->
          log.info(
              "Gateway event {} {} changes nothing: top-up {} has its outcome",
              event.id(),
              event.type(),
              topUpId.get());
      case MISMATCH -> {
        log.error(
            "Gateway event {} {} does not match top-up {} (intent {}, {} {}); nothing recorded,"
                + " nothing credited",
            event.id(),
            event.type(),
            topUpId.get(),
            intent.id(),
            intent.amountMinor(),
            intent.currency());
        ignored.record(
            event.id(),
            event.type(),
            intent.id(),
            topUpId.get(),
            IgnoredGatewayEvents.Reason.MISMATCH);
      }
    }
    count(event, outcome.name().toLowerCase(java.util.Locale.ROOT));
  }

  private void unknown(GatewayEvent event, PaymentIntent intent) {
    String topUpId = intent.topUpId().orElse(null);
    log.warn(
        "Gateway event {} {} is for no known top-up (intent {}, top-up {}): recorded and ignored",
        event.id(),
        event.type(),
        intent.id(),
        topUpId == null ? "-" : topUpId);
    ignored.record(
        event.id(), event.type(), intent.id(), topUpId, IgnoredGatewayEvents.Reason.UNKNOWN_TOP_UP);
    count(event, "unknown");
  }

  private void count(GatewayEvent event, String outcome) {
    counted.withTags("type", event.type(), "outcome", outcome).increment();
  }

  /**
   * Sends a command as the gateway, in the webhook's correlation; one that loses an append race to
   * a concurrent delivery is decided again on the new state.
   */
  private TopUpOutcome send(Object command, GatewayEvent event) {
    Map<String, Object> metadata = new HashMap<>();
    metadata.put(RequestMetadata.SUBJECT, SUBJECT);
    metadata.put(RequestMetadata.GATEWAY_EVENT_ID, event.id());
    String correlationId = MDC.get(CorrelationIdFilter.MDC_KEY);
    if (correlationId != null) {
      metadata.put(RequestMetadata.CORRELATION_ID, correlationId);
    }
    return (TopUpOutcome)
        RACES.sendAndWait(commands::sendAndWait, command, MetaData.from(metadata), TIMEOUT);
  }

  /** The gateway's decline or error code when it is a plain code, else {@code payment_failed}. */
  static String failureCode(PaymentIntent intent) {
    String code = intent.failureCode();
    return code != null && FAILURE_CODE.matcher(code).matches() ? code : TopUpFailed.PAYMENT_FAILED;
  }
}
