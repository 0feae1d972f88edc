package io.ledgerline.events.fold;

import io.ledgerline.events.TopUpEvent;
import io.ledgerline.events.TopUpFailed;
import io.ledgerline.events.TopUpIntentCreated;
import io.ledgerline.events.TopUpRequested;
import io.ledgerline.events.TopUpSucceeded;

/**
 * A card top-up as its events describe it: the one fold of top-up events into state, used wherever
 * state is recomputed outside the aggregate (reconciliation). A property test of the command side
 * proves it agrees with the {@code TopUp} aggregate.
 *
 * @param topUpId the top-up
 * @param accountId the account it credits
 * @param amountMinor the amount, in minor units of {@code currency}
 * @param currency the account's ISO 4217 currency
 * @param status where it is in its life
 * @param intentId the gateway's payment intent, once one is known
 * @param failureCode why its payment failed; {@code null} unless failed
 * @param version the sequence number of the last event folded in
 */
public record TopUpState(
    String topUpId,
    String accountId,
    long amountMinor,
    String currency,
    Status status,
    String intentId,
    String failureCode,
    long version) {

  /**
   * Where a top-up is in its life: requested, awaiting the customer's payment once its intent
   * exists, then succeeded (final: its amount is deposited) or failed (a late success may still
   * follow).
   */
  public enum Status {
    REQUESTED,
    AWAITING_PAYMENT,
    SUCCEEDED,
    FAILED
  }

  /**
   * The state once {@code event}, at {@code sequence} of the top-up's history, is folded into
   * {@code state}. A history starts with {@link TopUpRequested}; before it there is no top-up, and
   * {@code null} stays {@code null}.
   *
   * @param state the state so far, or {@code null} for none yet
   */
  public static TopUpState fold(TopUpState state, TopUpEvent event, long sequence) {
    if (event instanceof TopUpRequested e) {
      return new TopUpState(
          e.topUpId(),
          e.accountId(),
          e.amountMinor(),
          e.currency(),
          Status.REQUESTED,
          null,
          null,
          sequence);
    }
    if (state == null) {
      return null;
    }
    Status status = state.status;
    String intentId = state.intentId;
    String failureCode = state.failureCode;
    if (event instanceof TopUpIntentCreated e) {
      intentId = e.intentId();
      if (status == Status.REQUESTED) {
        status = Status.AWAITING_PAYMENT;
      }
    } else if (event instanceof TopUpSucceeded e) {
      status = Status.SUCCEEDED;
      intentId = e.intentId();
      failureCode = null;
    } else if (event instanceof TopUpFailed e) {
      status = Status.FAILED;
      intentId = e.intentId() != null ? e.intentId() : intentId;
      failureCode = e.failureCode();
    }
    return new TopUpState(
        state.topUpId,
        state.accountId,
        state.amountMinor,
        state.currency,
        status,
        intentId,
        failureCode,
        sequence);
  }
}
