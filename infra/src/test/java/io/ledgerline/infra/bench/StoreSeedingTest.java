package io.ledgerline.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoreSeedingTest {

  @Test
  void seedsWholeAccountsUntilTheStoreHoldsAtLeastTheTarget() {
    // 191,000 events missing: 1,910 accounts of 100.
    assertThat(StoreSeeding.accountsFor(30_000, 221_000)).isEqualTo(1_910);
    // One event missing still takes a whole account.
    assertThat(StoreSeeding.accountsFor(220_999, 221_000)).isEqualTo(1);
  }

  @Test
  void seedsNothingIntoAStoreThatIsLargeEnough() {
    assertThat(StoreSeeding.accountsFor(221_000, 221_000)).isZero();
    assertThat(StoreSeeding.accountsFor(1_000_000, 221_000)).isZero();
  }
}
