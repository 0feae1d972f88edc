package io.ledgerline.command.account;

import static io.ledgerline.command.personaldata.SealedTexts.sealed;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.command.account.AccountCommands.CloseAccount;
import io.ledgerline.command.account.AccountCommands.DepositFunds;
import io.ledgerline.command.account.AccountCommands.FreezeAccount;
import io.ledgerline.command.account.AccountCommands.OpenAccount;
import io.ledgerline.command.account.AccountCommands.UnfreezeAccount;
import io.ledgerline.command.account.AccountCommands.WithdrawFunds;
import io.ledgerline.command.account.TransferStepCommands.CreditForTransfer;
import io.ledgerline.command.account.TransferStepCommands.DebitForTransfer;
import io.ledgerline.command.account.TransferStepCommands.ReverseTransferDebit;
import io.ledgerline.events.AccountClosed;
import io.ledgerline.events.AccountFrozen;
import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.AccountUnfrozen;
import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.FundsWithdrawn;
import io.ledgerline.events.Money;
import io.ledgerline.events.TransferCreditRefused;
import io.ledgerline.events.TransferCredited;
import io.ledgerline.events.TransferDebitRefused;
import io.ledgerline.events.TransferDebitReversed;
import io.ledgerline.events.TransferDebited;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountTest {

  private static final String ID = "acc-1";
  private static final AccountOpened OPENED = new AccountOpened(ID, "alice", "EUR", 0);
  private static final AccountOpened OPENED_WITH_OVERDRAFT =
      new AccountOpened(ID, "alice", "EUR", 500);

  private static final String SALARY = sealed("salary");
  private static final String FRAUD_CHECK = sealed("fraud check");
  private static final String CLEARED = sealed("cleared");
  private static final String CUSTOMER_REQUEST = sealed("customer request");

  private FixtureConfiguration<Account> fixture;

  @BeforeEach
  void setUp() {
    fixture = new AggregateTestFixture<>(Account.class);
  }

  @Test
  void canOpenAnAccount() {
    fixture
        .givenNoPriorActivity()
        .when(new OpenAccount(ID, "alice", "EUR", 0))
        .expectSuccessfulHandlerExecution()
        .expectEvents(OPENED);
  }

  @Test
  void cannotOpenAnAccountInANonIsoCurrency() {
    fixture
        .givenNoPriorActivity()
        .when(new OpenAccount(ID, "alice", "XYZ", 0))
        .expectException(IllegalArgumentException.class)
        .expectNoEvents();
  }

  @Test
  void cannotOpenAnAccountWithANegativeOverdraft() {
    fixture
        .givenNoPriorActivity()
        .when(new OpenAccount(ID, "alice", "EUR", -1))
        .expectException(AccountRuleViolation.class)
        .expectNoEvents();
  }

  @Test
  void canDepositAndReportsTheNewBalanceAndVersion() {
    fixture
        .given(OPENED)
        .when(new DepositFunds(ID, 1250, SALARY, null))
        .expectEvents(new FundsDeposited(ID, 1250, "EUR", 1250, SALARY))
        .expectResultMessagePayloadMatching(
            org.axonframework.test.matchers.Matchers.matches(
                result -> {
                  AccountSnapshot snapshot = (AccountSnapshot) result;
                  return snapshot.balanceMinor() == 1250 && snapshot.version() == 1;
                }));
  }

  @Test
  void cannotStoreAReferenceOrAReasonInClear() {
    fixture
        .given(OPENED)
        .when(new DepositFunds(ID, 1250, "salary", null))
        .expectException(IllegalArgumentException.class)
        .expectNoEvents();
    fixture
        .given(OPENED)
        .when(new FreezeAccount(ID, "fraud check", null, "op"))
        .expectException(IllegalArgumentException.class)
        .expectNoEvents();
  }

  @Test
  void loadsEventsStoredWithTheirFreeTextInClear() {
    fixture
        .given(
            OPENED, new FundsDeposited(ID, 5, "EUR", 5, "salary"), new AccountFrozen(ID, "x", "op"))
        .when(new UnfreezeAccount(ID, CLEARED, null))
        .expectEvents(new AccountUnfrozen(ID, CLEARED));
  }

  @Test
  void cannotDepositZeroOrNegativeOrTooMuch() {
    for (long amount : new long[] {0, -5, Money.MAX_AMOUNT_MINOR + 1}) {
      fixture
          .given(OPENED)
          .when(new DepositFunds(ID, amount, null, null))
          .expectException(AccountRuleViolation.class)
          .expectNoEvents();
    }
  }

  @Test
  void cannotDepositBeyondTheBalanceCeiling() {
    fixture
        .given(
            OPENED,
            new FundsDeposited(ID, Money.MAX_AMOUNT_MINOR, "EUR", Money.MAX_AMOUNT_MINOR, null))
        .when(new DepositFunds(ID, 1, null, null))
        .expectException(AccountRuleViolation.class)
        .expectNoEvents();
  }

  @Test
  void canWithdrawWhatIsThere() {
    fixture
        .given(OPENED, new FundsDeposited(ID, 1000, "EUR", 1000, null))
        .when(new WithdrawFunds(ID, 1000, null, null))
        .expectEvents(new FundsWithdrawn(ID, 1000, "EUR", 0, null));
  }

  @Test
  void cannotWithdrawMoreThanTheBalance() {
    fixture
        .given(OPENED, new FundsDeposited(ID, 1000, "EUR", 1000, null))
        .when(new WithdrawFunds(ID, 1001, null, null))
        .expectException(AccountRuleViolation.class)
        .expectExceptionMessage(org.hamcrest.Matchers.containsString("does not cover"))
        .expectNoEvents();
  }

  @Test
  void canWithdrawIntoTheOverdraftButNotBeyondIt() {
    fixture
        .given(OPENED_WITH_OVERDRAFT)
        .when(new WithdrawFunds(ID, 500, null, null))
        .expectEvents(new FundsWithdrawn(ID, 500, "EUR", -500, null));
    fixture
        .given(OPENED_WITH_OVERDRAFT)
        .when(new WithdrawFunds(ID, 501, null, null))
        .expectException(AccountRuleViolation.class)
        .expectNoEvents();
  }

  @Test
  void cannotWithdrawFromAFrozenAccount() {
    fixture
        .given(
            OPENED,
            new FundsDeposited(ID, 1000, "EUR", 1000, null),
            new AccountFrozen(ID, null, "op"))
        .when(new WithdrawFunds(ID, 1, null, null))
        .expectException(AccountRuleViolation.class)
        .expectNoEvents();
  }

  @Test
  void canDepositIntoAFrozenAccount() {
    fixture
        .given(OPENED, new AccountFrozen(ID, "fraud check", "op"))
        .when(new DepositFunds(ID, 10, null, null))
        .expectEvents(new FundsDeposited(ID, 10, "EUR", 10, null));
  }

  @Test
  void canFreezeAndUnfreeze() {
    fixture
        .given(OPENED)
        .when(new FreezeAccount(ID, FRAUD_CHECK, null, "op"))
        .expectEvents(new AccountFrozen(ID, FRAUD_CHECK, "op"));
    fixture
        .given(OPENED, new AccountFrozen(ID, "fraud check", "op"))
        .when(new UnfreezeAccount(ID, CLEARED, null))
        .expectEvents(new AccountUnfrozen(ID, CLEARED));
  }

  @Test
  void freezingAFrozenAccountChangesNothing() {
    fixture
        .given(OPENED, new AccountFrozen(ID, null, "op"))
        .when(new FreezeAccount(ID, null, null, "op"))
        .expectSuccessfulHandlerExecution()
        .expectNoEvents();
  }

  @Test
  void canCloseAZeroBalanceAccount() {
    fixture
        .given(
            OPENED,
            new FundsDeposited(ID, 5, "EUR", 5, null),
            new FundsWithdrawn(ID, 5, "EUR", 0, null))
        .when(new CloseAccount(ID, CUSTOMER_REQUEST, null))
        .expectEvents(new AccountClosed(ID, CUSTOMER_REQUEST));
  }

  @Test
  void cannotCloseAnAccountWithABalance() {
    fixture
        .given(OPENED, new FundsDeposited(ID, 5, "EUR", 5, null))
        .when(new CloseAccount(ID, null, null))
        .expectException(AccountRuleViolation.class)
        .expectNoEvents();
  }

  @Test
  void aClosedAccountAcceptsNothing() {
    Object[] history = {OPENED, new AccountClosed(ID, null)};
    for (Object command :
        new Object[] {
          new DepositFunds(ID, 1, null, null),
          new WithdrawFunds(ID, 1, null, null),
          new FreezeAccount(ID, null, null, "op"),
          new UnfreezeAccount(ID, null, null)
        }) {
      fixture
          .given(history)
          .when(command)
          .expectException(AccountRuleViolation.class)
          .expectNoEvents();
    }
  }

  @Test
  void aStaleExpectedVersionIsRejected() {
    fixture
        .given(OPENED, new FundsDeposited(ID, 5, "EUR", 5, null))
        .when(new DepositFunds(ID, 5, null, 0L))
        .expectException(
            org.axonframework.modelling.command.ConflictingAggregateVersionException.class)
        .expectNoEvents();
  }

  @Test
  void canDebitForATransferOnlyOnce() {
    fixture
        .given(OPENED, new FundsDeposited(ID, 100, "EUR", 100, null))
        .when(new DebitForTransfer(ID, "t-1", 60, "EUR", "acc-2"))
        .expectEvents(new TransferDebited(ID, "t-1", 60, "EUR", 40, "acc-2"));
    fixture
        .given(
            OPENED,
            new FundsDeposited(ID, 100, "EUR", 100, null),
            new TransferDebited(ID, "t-1", 60, "EUR", 40, "acc-2"))
        .when(new DebitForTransfer(ID, "t-1", 60, "EUR", "acc-2"))
        .expectSuccessfulHandlerExecution()
        .expectNoEvents();
  }

  @Test
  void refusesATransferDebitItCannotPayWithAnEventNotAnException() {
    fixture
        .given(OPENED, new FundsDeposited(ID, 10, "EUR", 10, null))
        .when(new DebitForTransfer(ID, "t-1", 60, "EUR", "acc-2"))
        .expectSuccessfulHandlerExecution()
        .expectEvents(new TransferDebitRefused(ID, "t-1", "insufficient funds"));
    fixture
        .given(
            OPENED,
            new FundsDeposited(ID, 100, "EUR", 100, null),
            new AccountFrozen(ID, null, "op"))
        .when(new DebitForTransfer(ID, "t-1", 60, "EUR", "acc-2"))
        .expectEvents(new TransferDebitRefused(ID, "t-1", "source account is frozen"));
    fixture
        .given(OPENED, new AccountClosed(ID, null))
        .when(new DebitForTransfer(ID, "t-1", 60, "EUR", "acc-2"))
        .expectEvents(new TransferDebitRefused(ID, "t-1", "source account is closed"));
  }

  @Test
  void canCreditATransferOnlyOnce() {
    fixture
        .given(OPENED)
        .when(new CreditForTransfer(ID, "t-1", 60, "EUR", "acc-0"))
        .expectEvents(new TransferCredited(ID, "t-1", 60, "EUR", 60, "acc-0"));
    fixture
        .given(OPENED, new TransferCredited(ID, "t-1", 60, "EUR", 60, "acc-0"))
        .when(new CreditForTransfer(ID, "t-1", 60, "EUR", "acc-0"))
        .expectNoEvents();
  }

  @Test
  void refusesTransferCreditsWhenFrozenClosedOrInAnotherCurrency() {
    fixture
        .given(OPENED, new AccountFrozen(ID, null, "op"))
        .when(new CreditForTransfer(ID, "t-1", 60, "EUR", "acc-0"))
        .expectEvents(
            new TransferCreditRefused(ID, "t-1", 60, "acc-0", "destination account is frozen"));
    fixture
        .given(OPENED, new AccountClosed(ID, null))
        .when(new CreditForTransfer(ID, "t-1", 60, "EUR", "acc-0"))
        .expectEvents(
            new TransferCreditRefused(ID, "t-1", 60, "acc-0", "destination account is closed"));
    fixture
        .given(OPENED)
        .when(new CreditForTransfer(ID, "t-1", 60, "USD", "acc-0"))
        .expectEvents(
            new TransferCreditRefused(
                ID, "t-1", 60, "acc-0", "destination account is in EUR, not USD"));
  }

  @Test
  void reversesADebitOnceAndOnlyAfterIt() {
    TransferDebited debited = new TransferDebited(ID, "t-1", 60, "EUR", 40, "acc-2");
    fixture
        .given(OPENED, new FundsDeposited(ID, 100, "EUR", 100, null), debited)
        .when(new ReverseTransferDebit(ID, "t-1", 60, "destination account is frozen"))
        .expectEvents(
            new TransferDebitReversed(ID, "t-1", 60, "EUR", 100, "destination account is frozen"));
    fixture
        .given(
            OPENED,
            new FundsDeposited(ID, 100, "EUR", 100, null),
            debited,
            new TransferDebitReversed(ID, "t-1", 60, "EUR", 100, "x"))
        .when(new ReverseTransferDebit(ID, "t-1", 60, "x"))
        .expectNoEvents();
    fixture
        .given(OPENED)
        .when(new ReverseTransferDebit(ID, "t-never-debited", 60, "x"))
        .expectNoEvents();
  }

  @Test
  void ruleViolationsCarryTheirKind() {
    var violation = new AccountRuleViolation(AccountRuleViolation.Kind.ACCOUNT_FROZEN, "frozen");
    assertThat(violation.kind()).isEqualTo(AccountRuleViolation.Kind.ACCOUNT_FROZEN);
  }
}
