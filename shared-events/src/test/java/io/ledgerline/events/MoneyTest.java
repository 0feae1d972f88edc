package io.ledgerline.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoneyTest {

  @Test
  void acceptsIsoCurrencyCodes() {
    assertThat(new Money(1250, "EUR").currency()).isEqualTo("EUR");
    assertThat(Money.isIsoCurrency("JPY")).isTrue();
  }

  @Test
  void rejectsCodesThatAreNotIso4217() {
    assertThat(Money.isIsoCurrency("eur")).isFalse();
    assertThat(Money.isIsoCurrency("EURO")).isFalse();
    assertThat(Money.isIsoCurrency("ZZZ")).isFalse();
    assertThat(Money.isIsoCurrency(null)).isFalse();
    assertThatThrownBy(() -> new Money(1, "XYZ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsAmountsBeyondTheUpperBound() {
    assertThatThrownBy(() -> new Money(Money.MAX_AMOUNT_MINOR + 1, "EUR"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void movementAmountsArePositiveAndBounded() {
    assertThat(Money.isValidMovementAmount(1)).isTrue();
    assertThat(Money.isValidMovementAmount(Money.MAX_AMOUNT_MINOR)).isTrue();
    assertThat(Money.isValidMovementAmount(0)).isFalse();
    assertThat(Money.isValidMovementAmount(-5)).isFalse();
    assertThat(Money.isValidMovementAmount(Money.MAX_AMOUNT_MINOR + 1)).isFalse();
  }
}
