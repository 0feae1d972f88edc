package io.ledgerline.query.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.events.AccountClosed;
import io.ledgerline.events.AccountFrozen;
import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.AccountUnfrozen;
import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.FundsWithdrawn;
import io.ledgerline.events.TransferCompleted;
import io.ledgerline.events.TransferCredited;
import io.ledgerline.events.TransferDebitReversed;
import io.ledgerline.events.TransferDebited;
import io.ledgerline.events.TransferFailed;
import io.ledgerline.events.TransferRequested;
import io.ledgerline.query.reconciliation.AggregateFold.AccountFold;
import io.ledgerline.query.reconciliation.AggregateFold.TransferFold;
import org.junit.jupiter.api.Test;

class AggregateFoldTest {

  private final Differences differences = new Differences(100);

  @Test
  void anAccountFoldsBalanceStatusAndVersion() {
    AggregateFold fold = new AggregateFold("a-1", differences);
    fold.add(0, new AccountOpened("a-1", "o-1", "EUR", 0));
    fold.add(1, new FundsDeposited("a-1", 1_000, "EUR", 1_000, "r"));
    fold.add(2, new FundsWithdrawn("a-1", 300, "EUR", 700, "r"));
    fold.add(3, new TransferDebited("a-1", "t-1", 200, "EUR", 500, "a-2"));
    fold.add(4, new TransferDebitReversed("a-1", "t-1", 200, "EUR", 700, "refused"));
    fold.add(5, new TransferCredited("a-1", "t-2", 50, "EUR", 750, "a-3"));
    fold.add(6, new AccountFrozen("a-1", "audit", "admin"));

    assertThat(fold.account()).isEqualTo(new AccountFold("o-1", "EUR", 750, "FROZEN", 6));
    assertThat(fold.transfer()).isNull();
    assertThat(fold.events()).isEqualTo(7);
    assertThat(fold.movements()).isEqualTo(5);
    assertThat(differences.total()).isZero();

    fold.add(7, new AccountUnfrozen("a-1", "done"));
    assertThat(fold.account().status()).isEqualTo("OPEN");
    fold.add(8, new AccountClosed("a-1", "done"));
    assertThat(fold.account().status()).isEqualTo("CLOSED");
    assertThat(fold.account().version()).isEqualTo(8);
  }

  @Test
  void aTransferTakesTheStatusOfItsLastEvent() {
    AggregateFold completed = new AggregateFold("t-1", differences);
    completed.add(0, new TransferRequested("t-1", "a-1", "a-2", 100, "EUR", "r"));
    assertThat(completed.transfer()).isEqualTo(new TransferFold("REQUESTED", 0));
    completed.add(1, new TransferCompleted("t-1"));
    assertThat(completed.transfer()).isEqualTo(new TransferFold("COMPLETED", 1));
    assertThat(completed.account()).isNull();
    assertThat(completed.movements()).isZero();

    AggregateFold failed = new AggregateFold("t-2", differences);
    failed.add(0, new TransferRequested("t-2", "a-1", "a-2", 100, "EUR", "r"));
    failed.add(1, new TransferFailed("t-2", "insufficient funds", null));
    assertThat(failed.transfer()).isEqualTo(new TransferFold("FAILED", 1));
  }

  @Test
  void anAccountHistoryWithoutItsOpeningIsReportedOnce() {
    AggregateFold fold = new AggregateFold("a-9", differences);
    fold.add(3, new FundsDeposited("a-9", 10, "EUR", 10, "r"));
    fold.add(4, new FundsDeposited("a-9", 10, "EUR", 20, "r"));

    assertThat(fold.account()).isNull();
    assertThat(differences.first())
        .containsExactly("account a-9: event 3 comes before AccountOpened");
  }
}
