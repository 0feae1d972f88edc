package io.ledgerline.events.fold;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.events.AccountClosed;
import io.ledgerline.events.AccountEvent;
import io.ledgerline.events.AccountFrozen;
import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.AccountUnfrozen;
import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.FundsWithdrawn;
import io.ledgerline.events.TopUpEvent;
import io.ledgerline.events.TopUpFailed;
import io.ledgerline.events.TopUpIntentCreated;
import io.ledgerline.events.TopUpRequested;
import io.ledgerline.events.TopUpSucceeded;
import io.ledgerline.events.TransferCompleted;
import io.ledgerline.events.TransferCreditRefused;
import io.ledgerline.events.TransferCredited;
import io.ledgerline.events.TransferDebitRefused;
import io.ledgerline.events.TransferDebitReversed;
import io.ledgerline.events.TransferDebited;
import io.ledgerline.events.TransferEvent;
import io.ledgerline.events.TransferFailed;
import io.ledgerline.events.TransferRequested;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared fold on hand-written histories; the command side checks it against the aggregates. */
class FoldTest {

  @Test
  void anAccountFoldsBalanceStatusAndVersionFromItsOpening() {
    AccountState state =
        account(
            new AccountOpened("a-1", "o-1", "EUR", 500),
            new FundsDeposited("a-1", 1_000, "EUR", 1_000, null),
            new FundsWithdrawn("a-1", 300, "EUR", 700, null),
            new TransferDebited("a-1", "t-1", 200, "EUR", 500, "a-2"),
            new TransferDebitRefused("a-1", "t-2", "insufficient funds"),
            new TransferDebitReversed("a-1", "t-1", 200, "EUR", 700, "frozen"),
            new TransferCredited("a-1", "t-3", 50, "EUR", 750, "a-3"),
            new TransferCreditRefused("a-1", "t-4", 10, "a-3", "frozen"),
            new AccountFrozen("a-1", "check", "op"));

    assertThat(state)
        .isEqualTo(new AccountState("a-1", "o-1", "EUR", 500, 750, AccountState.Status.FROZEN, 8));
    assertThat(AccountState.fold(state, new AccountUnfrozen("a-1", null), 9).status())
        .isEqualTo(AccountState.Status.OPEN);
    assertThat(AccountState.fold(state, new AccountClosed("a-1", null), 9).status())
        .isEqualTo(AccountState.Status.CLOSED);
  }

  @Test
  void thereIsNoAccountBeforeItsOpening() {
    assertThat(account(new FundsDeposited("a-1", 10, "EUR", 10, null))).isNull();
  }

  @Test
  void onlyMovementsChangeTheBalance() {
    List<AccountEvent> movements =
        List.of(
            new FundsDeposited("a-1", 5, "EUR", 5, null),
            new FundsWithdrawn("a-1", 5, "EUR", 0, null),
            new TransferDebited("a-1", "t-1", 5, "EUR", -5, "a-2"),
            new TransferCredited("a-1", "t-2", 5, "EUR", 0, "a-2"),
            new TransferDebitReversed("a-1", "t-1", 5, "EUR", 5, "frozen"));
    assertThat(movements).allMatch(AccountState::movesMoney);
    assertThat(movements)
        .extracting(AccountState::balanceChange)
        .containsExactly(5L, -5L, -5L, 5L, 5L);

    List<AccountEvent> others =
        List.of(
            new AccountOpened("a-1", "o", "EUR", 0),
            new AccountFrozen("a-1", null, null),
            new AccountUnfrozen("a-1", null),
            new AccountClosed("a-1", null),
            new TransferDebitRefused("a-1", "t-1", "insufficient funds"),
            new TransferCreditRefused("a-1", "t-1", 5, "a-2", "closed"));
    assertThat(others).noneMatch(AccountState::movesMoney);
    assertThat(others).extracting(AccountState::balanceChange).containsOnly(0L);
  }

  @Test
  void aTransferEndsCompletedOrFailedWithItsReason() {
    TransferRequested requested = new TransferRequested("t-1", "a-1", "a-2", 100, "EUR", null);

    assertThat(transfer(requested, new TransferCompleted("t-1")))
        .isEqualTo(
            new TransferState(
                "t-1", "a-1", "a-2", 100, "EUR", TransferState.Status.COMPLETED, null, null, 1));
    assertThat(
            transfer(
                requested, new TransferFailed("t-1", "source account is frozen", "SOURCE_FROZEN")))
        .isEqualTo(
            new TransferState(
                "t-1",
                "a-1",
                "a-2",
                100,
                "EUR",
                TransferState.Status.FAILED,
                "source account is frozen",
                "SOURCE_FROZEN",
                1));
    assertThat(transfer(new TransferCompleted("t-1"))).isNull();
  }

  @Test
  void aTopUpAwaitsPaymentOnceItsIntentExistsThenSucceedsOrFails() {
    TopUpRequested requested = new TopUpRequested("u-1", "a-1", 1_250, "EUR");
    TopUpIntentCreated intent = new TopUpIntentCreated("u-1", "pi_1");

    assertThat(topUp(requested))
        .isEqualTo(
            new TopUpState("u-1", "a-1", 1_250, "EUR", TopUpState.Status.REQUESTED, null, null, 0));
    assertThat(topUp(requested, intent))
        .isEqualTo(
            new TopUpState(
                "u-1", "a-1", 1_250, "EUR", TopUpState.Status.AWAITING_PAYMENT, "pi_1", null, 1));
    assertThat(topUp(requested, intent, new TopUpFailed("u-1", "pi_1", "expired_card")))
        .isEqualTo(
            new TopUpState(
                "u-1", "a-1", 1_250, "EUR", TopUpState.Status.FAILED, "pi_1", "expired_card", 2));
    assertThat(topUp(requested, new TopUpSucceeded("u-1", "pi_1", "a-1", 1_250, "EUR")))
        .isEqualTo(
            new TopUpState(
                "u-1", "a-1", 1_250, "EUR", TopUpState.Status.SUCCEEDED, "pi_1", null, 1));
    assertThat(topUp(new TopUpIntentCreated("u-1", "pi_1"))).isNull();
  }

  @Test
  void aTopUpThatFailedMaySucceedLater() {
    TopUpState state =
        topUp(
            new TopUpRequested("u-1", "a-1", 100, "EUR"),
            new TopUpIntentCreated("u-1", "pi_1"),
            new TopUpFailed("u-1", "pi_1", "generic_decline"),
            new TopUpSucceeded("u-1", "pi_1", "a-1", 100, "EUR"));

    assertThat(state.status()).isEqualTo(TopUpState.Status.SUCCEEDED);
    assertThat(state.failureCode()).isNull();
    assertThat(state.version()).isEqualTo(3);
  }

  private static AccountState account(AccountEvent... history) {
    AccountState state = null;
    for (int sequence = 0; sequence < history.length; sequence++) {
      state = AccountState.fold(state, history[sequence], sequence);
    }
    return state;
  }

  private static TransferState transfer(TransferEvent... history) {
    TransferState state = null;
    for (int sequence = 0; sequence < history.length; sequence++) {
      state = TransferState.fold(state, history[sequence], sequence);
    }
    return state;
  }

  private static TopUpState topUp(TopUpEvent... history) {
    TopUpState state = null;
    for (int sequence = 0; sequence < history.length; sequence++) {
      state = TopUpState.fold(state, history[sequence], sequence);
    }
    return state;
  }
}
