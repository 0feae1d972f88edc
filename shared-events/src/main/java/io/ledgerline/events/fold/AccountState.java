package io.ledgerline.events.fold;

import io.ledgerline.events.AccountClosed;
import io.ledgerline.events.AccountEvent;
import io.ledgerline.events.AccountFrozen;
import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.AccountUnfrozen;
import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.FundsWithdrawn;
import io.ledgerline.events.TransferCredited;
import io.ledgerline.events.TransferDebitReversed;
import io.ledgerline.events.TransferDebited;
import java.util.Set;

/**
 * An account as its events describe it: the one fold of account events into state, used wherever
 * state is recomputed outside the aggregate (the audit's time travel, reconciliation, rebuild
 * parity). A property test of the command side proves it agrees with the {@code Account}
 * aggregate's own event-sourcing handlers on every history the aggregate can write.
 *
 * @param accountId the account
 * @param ownerId the owner it was opened for
 * @param currency its ISO 4217 currency
 * @param overdraftLimitMinor how far below zero its balance may go, in minor units
 * @param balanceMinor its balance, in minor units
 * @param status where it is in its life
 * @param version the sequence number of the last event folded in
 */
public record AccountState(
    String accountId,
    String ownerId,
    String currency,
    long overdraftLimitMinor,
    long balanceMinor,
    Status status,
    long version) {

  /** Where an account is in its life. */
  public enum Status {
    OPEN,
    FROZEN,
    CLOSED
  }

  /**
   * The state once {@code event}, at {@code sequence} of the account's history, is folded into
   * {@code state}. A history starts with {@link AccountOpened}; before it there is no account, and
   * {@code null} stays {@code null}.
   *
   * @param state the state so far, or {@code null} for none yet
   */
  public static AccountState fold(AccountState state, AccountEvent event, long sequence) {
    if (event instanceof AccountOpened e) {
      return new AccountState(
          e.accountId(),
          e.ownerId(),
          e.currency(),
          e.overdraftLimitMinor(),
          0,
          Status.OPEN,
          sequence);
    }
    if (state == null) {
      return null;
    }
    Status status = state.status;
    if (event instanceof AccountFrozen) {
      status = Status.FROZEN;
    } else if (event instanceof AccountUnfrozen) {
      status = Status.OPEN;
    } else if (event instanceof AccountClosed) {
      status = Status.CLOSED;
    }
    return new AccountState(
        state.accountId,
        state.ownerId,
        state.currency,
        state.overdraftLimitMinor,
        state.balanceMinor + balanceChange(event),
        status,
        sequence);
  }

  /**
   * By how much {@code event} changes its account's balance, in minor units (0 unless it moves
   * money).
   */
  public static long balanceChange(AccountEvent event) {
    if (event instanceof FundsDeposited e) {
      return e.amountMinor();
    }
    if (event instanceof FundsWithdrawn e) {
      return -e.amountMinor();
    }
    if (event instanceof TransferDebited e) {
      return -e.amountMinor();
    }
    if (event instanceof TransferCredited e) {
      return e.amountMinor();
    }
    if (event instanceof TransferDebitReversed e) {
      return e.amountMinor();
    }
    return 0;
  }

  /**
   * The event types that move money: a deposit, a withdrawal, and a transfer's debit, credit and
   * reversal (each one movement of the ledger, however small).
   */
  public static final Set<Class<? extends AccountEvent>> MOVEMENT_TYPES =
      Set.of(
          FundsDeposited.class,
          FundsWithdrawn.class,
          TransferDebited.class,
          TransferCredited.class,
          TransferDebitReversed.class);

  /** Whether {@code event} moves money: it is of one of the {@link #MOVEMENT_TYPES}. */
  public static boolean movesMoney(AccountEvent event) {
    return MOVEMENT_TYPES.contains(event.getClass());
  }
}
