package io.ledgerline.command.account;

import io.ledgerline.command.account.TopUpStepCommands.DepositForTopUp;
import io.ledgerline.events.AccountClosed;
import io.ledgerline.events.AccountFrozen;
import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.FundsDeposited;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An account credits each succeeded top-up exactly once. */
class AccountTopUpCreditTest {

  private static final String ID = "acc-1";
  private static final String TOP_UP = "5c0e1b7a-3d2f-4e8a-9b6c-1d2e3f4a5b6c";
  private static final AccountOpened OPENED = new AccountOpened(ID, "alice", "EUR", 0);
  private static final FundsDeposited CREDITED =
      new FundsDeposited(ID, 5_000, "EUR", 5_000, null, TOP_UP);

  private AggregateTestFixture<Account> fixture;

  @BeforeEach
  void setUp() {
    fixture = new AggregateTestFixture<>(Account.class);
  }

  @Test
  void canCreditATopUpAsADepositNamingIt() {
    fixture
        .given(OPENED)
        .when(new DepositForTopUp(ID, TOP_UP, 5_000, "EUR"))
        .expectEvents(CREDITED);
  }

  @Test
  void cannotCreditTheSameTopUpTwice() {
    fixture
        .given(OPENED, CREDITED)
        .when(new DepositForTopUp(ID, TOP_UP, 5_000, "EUR"))
        .expectSuccessfulHandlerExecution()
        .expectNoEvents();
  }

  @Test
  void anotherTopUpIsCreditedToo() {
    fixture
        .given(OPENED, CREDITED)
        .when(new DepositForTopUp(ID, "other-top-up", 1_000, "EUR"))
        .expectEvents(new FundsDeposited(ID, 1_000, "EUR", 6_000, null, "other-top-up"));
  }

  @Test
  void aFrozenAccountIsStillCredited() {
    fixture
        .given(OPENED, new AccountFrozen(ID, null, "operator-1"))
        .when(new DepositForTopUp(ID, TOP_UP, 5_000, "EUR"))
        .expectEvents(CREDITED);
  }

  @Test
  void cannotCreditAClosedAccountOrAnotherCurrency() {
    fixture
        .given(OPENED, new AccountClosed(ID, null))
        .when(new DepositForTopUp(ID, TOP_UP, 5_000, "EUR"))
        .expectException(AccountRuleViolation.class)
        .expectNoEvents();
    fixture
        .given(OPENED)
        .when(new DepositForTopUp(ID, TOP_UP, 5_000, "USD"))
        .expectException(AccountRuleViolation.class)
        .expectNoEvents();
  }
}
