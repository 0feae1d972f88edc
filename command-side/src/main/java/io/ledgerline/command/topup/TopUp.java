package io.ledgerline.command.topup;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.ledgerline.command.topup.TopUpCommands.FailTopUp;
import io.ledgerline.command.topup.TopUpCommands.RecordTopUpIntent;
import io.ledgerline.command.topup.TopUpCommands.RequestTopUp;
import io.ledgerline.command.topup.TopUpCommands.SucceedTopUp;
import io.ledgerline.events.Money;
import io.ledgerline.events.TopUpFailed;
import io.ledgerline.events.TopUpIntentCreated;
import io.ledgerline.events.TopUpRequested;
import io.ledgerline.events.TopUpSucceeded;
import java.util.Objects;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A card top-up: requested, its payment intent created at the gateway, then succeeded exactly once
 * or failed. The gateway's reports arrive at least once and in any order: a repeated or older one
 * changes nothing, and a success after a failure still counts (the customer paid the same intent
 * with another card), since money the gateway took must reach the account. The deposit itself is
 * the account's, sent by {@link TopUpProcess} on {@link TopUpSucceeded}.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
@Aggregate
class TopUp {

  @AggregateIdentifier private String topUpId;
  private String accountId;
  private long amountMinor;
  private String currency;
  private String intentId;
  private TopUpStatus status;

  TopUp() {
    // Required by Axon to rebuild the top-up from its events.
  }

  @CommandHandler
  TopUp(RequestTopUp command) {
    Money.requireIsoCurrency(command.currency());
    if (!Money.isValidMovementAmount(command.amountMinor())) {
      throw new IllegalArgumentException(
          "amount must be between 1 and " + Money.MAX_AMOUNT_MINOR + " minor units");
    }
    apply(
        new TopUpRequested(
            command.topUpId(), command.accountId(), command.amountMinor(), command.currency()));
  }

  /**
   * The gateway answers a repeated creation with the same intent (the top-up id is its idempotency
   * key), so the same intent again is a no-op; another one would be a second way to pay.
   */
  @CommandHandler
  TopUpStatus handle(RecordTopUpIntent command) {
    if (command.intentId() == null || command.intentId().isBlank()) {
      throw new IllegalArgumentException("an intent id is required");
    }
    if (intentId == null && status == TopUpStatus.REQUESTED) {
      apply(new TopUpIntentCreated(topUpId, command.intentId()));
    } else if (!command.intentId().equals(intentId)) {
      throw new IllegalStateException(
          "top-up " + topUpId + " has intent " + intentId + ", not " + command.intentId());
    }
    return status;
  }

  @CommandHandler
  TopUpOutcome handle(SucceedTopUp command) {
    if (status == TopUpStatus.SUCCEEDED) {
      return TopUpOutcome.UNCHANGED;
    }
    if (!matches(command.intentId())
        || command.amountMinor() != amountMinor
        || !currency.equals(command.currency())
        || (command.accountId() != null && !accountId.equals(command.accountId()))) {
      return TopUpOutcome.MISMATCH;
    }
    apply(new TopUpSucceeded(topUpId, command.intentId(), accountId, amountMinor, currency));
    return TopUpOutcome.RECORDED;
  }

  @CommandHandler
  TopUpOutcome handle(FailTopUp command) {
    if (status == TopUpStatus.SUCCEEDED || status == TopUpStatus.FAILED) {
      return TopUpOutcome.UNCHANGED;
    }
    if (command.intentId() == null ? intentId != null : !matches(command.intentId())) {
      return TopUpOutcome.MISMATCH;
    }
    apply(
        new TopUpFailed(
            topUpId,
            command.intentId(),
            Objects.requireNonNullElse(command.failureCode(), TopUpFailed.PAYMENT_FAILED)));
    return TopUpOutcome.RECORDED;
  }

  /** Whether a reported intent is this top-up's: the one recorded, or any before one is. */
  private boolean matches(String reported) {
    return reported != null && (intentId == null || intentId.equals(reported));
  }

  @EventSourcingHandler
  void on(TopUpRequested event) {
    topUpId = event.topUpId();
    accountId = event.accountId();
    amountMinor = event.amountMinor();
    currency = event.currency();
    status = TopUpStatus.REQUESTED;
  }

  @EventSourcingHandler
  void on(TopUpIntentCreated event) {
    intentId = event.intentId();
    status = TopUpStatus.AWAITING_PAYMENT;
  }

  @EventSourcingHandler
  void on(TopUpSucceeded event) {
    intentId = event.intentId();
    status = TopUpStatus.SUCCEEDED;
  }

  @EventSourcingHandler
  void on(TopUpFailed event) {
    if (event.intentId() != null) {
      intentId = event.intentId();
    }
    status = TopUpStatus.FAILED;
  }
}
