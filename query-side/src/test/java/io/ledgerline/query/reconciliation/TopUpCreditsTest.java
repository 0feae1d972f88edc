package io.ledgerline.query.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.TopUpIntentCreated;
import io.ledgerline.events.TopUpRequested;
import io.ledgerline.events.TopUpSucceeded;
import io.ledgerline.events.fold.TopUpState;
import io.ledgerline.query.reconciliation.AggregateFold.TopUpFold;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every succeeded top-up deposited exactly once: checked in constant memory, and explained per
 * top-up only when it does not hold.
 */
class TopUpCreditsTest {

  private final Differences differences = new Differences(100);
  private final TopUpCredits testSubject = new TopUpCredits();
  private final List<Record> store = new ArrayList<>();

  @Test
  void aTopUpDepositedOnceIsClean() {
    succeeded("u-1", "a-1", 5_000);
    deposited("u-1", "a-1", 5_000);
    succeeded("u-2", "a-2", 100);
    deposited("u-2", "a-2", 100);
    requested("u-3", "a-1", 700); // Not paid yet: owed nothing.

    assertThat(testSubject.unbalanced().isEmpty()).isTrue();
    assertThat(testSubject.succeeded()).isEqualTo(2);
    assertThat(testSubject.deposits()).isEqualTo(2);
    testSubject.explain(store::forEach, differences);
    assertThat(differences.first()).isEmpty();
  }

  @Test
  void aSucceededTopUpNeverDepositedIsNamed() {
    succeeded("u-1", "a-1", 5_000);

    testSubject.explain(store::forEach, differences);

    assertThat(differences.first())
        .containsExactly("top-up u-1 succeeded but was never deposited (owed: 5000 EUR into a-1)");
  }

  @Test
  void aTopUpDepositedTwiceIsNamed() {
    succeeded("u-1", "a-1", 5_000);
    deposited("u-1", "a-1", 5_000);
    deposited("u-1", "a-1", 5_000);

    testSubject.explain(store::forEach, differences);

    assertThat(differences.first())
        .containsExactly("top-up u-1 was deposited 2 times: 5000 EUR into a-1, 5000 EUR into a-1");
  }

  @Test
  void aDepositOfAnotherAmountOrIntoAnotherAccountIsNamed() {
    succeeded("u-1", "a-1", 5_000);
    deposited("u-1", "a-2", 5_000);
    succeeded("u-2", "a-1", 100);
    deposited("u-2", "a-1", 1_000);

    testSubject.explain(store::forEach, differences);

    assertThat(differences.first())
        .containsExactlyInAnyOrder(
            "top-up u-1 was deposited as 5000 EUR into a-2, owed: 5000 EUR into a-1",
            "top-up u-2 was deposited as 1000 EUR into a-1, owed: 100 EUR into a-1");
  }

  @Test
  void aDepositNamingATopUpThatDidNotSucceedOrDoesNotExistIsNamed() {
    requested("u-1", "a-1", 5_000);
    deposited("u-1", "a-1", 5_000);
    deposited("u-404", "a-1", 10);

    testSubject.explain(store::forEach, differences);

    assertThat(differences.first())
        .containsExactlyInAnyOrder(
            "top-up u-1 never succeeded but was deposited: 5000 EUR into a-1",
            "top-up u-404 does not exist but was deposited: 10 EUR into a-1");
  }

  @Test
  void theAggregateFoldCountsDepositsAndFoldsTopUps() {
    AggregateFold account = new AggregateFold("a-1", differences, testSubject);
    account.add(0, new AccountOpened("a-1", "o-1", "EUR", 0));
    account.add(1, new FundsDeposited("a-1", 5_000, "EUR", 5_000, null, "u-1"));
    account.add(2, new FundsDeposited("a-1", 10, "EUR", 5_010, null));
    AggregateFold topUp = new AggregateFold("u-1", differences, testSubject);
    topUp.add(0, new TopUpRequested("u-1", "a-1", 5_000, "EUR"));
    topUp.add(1, new TopUpIntentCreated("u-1", "pi_1"));
    topUp.add(2, new TopUpSucceeded("u-1", "pi_1", "a-1", 5_000, "EUR"));
    TopUpState state = topUp.topUpState();
    testSubject.succeeded(
        state.topUpId(), state.accountId(), state.amountMinor(), state.currency());

    assertThat(account.account().balance()).isEqualTo(5_010);
    assertThat(topUp.topUp()).isEqualTo(new TopUpFold("SUCCEEDED", 2));
    assertThat(testSubject.deposits()).isEqualTo(1);
    assertThat(testSubject.unbalanced().isEmpty()).isTrue();
    assertThat(differences.first()).isEmpty();
  }

  private void requested(String topUpId, String accountId, long amount) {
    store.add(new TopUpRequested(topUpId, accountId, amount, "EUR"));
  }

  private void succeeded(String topUpId, String accountId, long amount) {
    requested(topUpId, accountId, amount);
    store.add(new TopUpSucceeded(topUpId, "pi_" + topUpId, accountId, amount, "EUR"));
    testSubject.succeeded(topUpId, accountId, amount, "EUR");
  }

  private void deposited(String topUpId, String accountId, long amount) {
    store.add(new FundsDeposited(accountId, amount, "EUR", amount, null, topUpId));
    testSubject.deposited(topUpId, accountId, amount, "EUR");
  }
}
