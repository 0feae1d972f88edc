package io.ledgerline.events.fold;

import io.ledgerline.events.TransferCompleted;
import io.ledgerline.events.TransferEvent;
import io.ledgerline.events.TransferFailed;
import io.ledgerline.events.TransferRequested;

/**
 * A transfer as its events describe it: the one fold of transfer events into state, used wherever
 * state is recomputed outside the aggregate (the audit's time travel, reconciliation). A property
 * test of the command side proves it agrees with the {@code Transfer} aggregate.
 *
 * @param transferId the transfer
 * @param fromAccountId the account to debit
 * @param toAccountId the account to credit
 * @param amountMinor the amount, in minor units of {@code currency}
 * @param currency the ISO 4217 currency of both accounts
 * @param status where it is in its life
 * @param reason why it failed, for people; {@code null} unless failed
 * @param failureCode why it failed, for programs; {@code null} unless failed
 * @param version the sequence number of the last event folded in
 */
public record TransferState(
    String transferId,
    String fromAccountId,
    String toAccountId,
    long amountMinor,
    String currency,
    Status status,
    String reason,
    String failureCode,
    long version) {

  /** Where a transfer is in its life: requested, then completed or failed. */
  public enum Status {
    REQUESTED,
    COMPLETED,
    FAILED
  }

  /**
   * The state once {@code event}, at {@code sequence} of the transfer's history, is folded into
   * {@code state}. A history starts with {@link TransferRequested}; before it there is no transfer,
   * and {@code null} stays {@code null}.
   *
   * @param state the state so far, or {@code null} for none yet
   */
  public static TransferState fold(TransferState state, TransferEvent event, long sequence) {
    if (event instanceof TransferRequested e) {
      return new TransferState(
          e.transferId(),
          e.fromAccountId(),
          e.toAccountId(),
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
    String reason = state.reason;
    String failureCode = state.failureCode;
    if (event instanceof TransferCompleted) {
      status = Status.COMPLETED;
    } else if (event instanceof TransferFailed e) {
      status = Status.FAILED;
      reason = e.reason();
      failureCode = e.failureCode();
    }
    return new TransferState(
        state.transferId,
        state.fromAccountId,
        state.toAccountId,
        state.amountMinor,
        state.currency,
        status,
        reason,
        failureCode,
        sequence);
  }
}
