package io.ledgerline.events;

import java.util.Currency;
import java.util.Objects;

/**
 * An amount of money: an integer number of minor units (cents for EUR) and an ISO 4217 currency
 * code. Never a floating-point number.
 *
 * @param amountMinor the amount in minor units, between {@code -MAX_AMOUNT_MINOR} and {@code
 *     MAX_AMOUNT_MINOR}
 * @param currency the ISO 4217 alphabetic code, upper case (e.g. {@code EUR})
 */
public record Money(long amountMinor, String currency) {

  /** The largest amount a single movement or balance may hold: 10^15 minor units. */
  public static final long MAX_AMOUNT_MINOR = 1_000_000_000_000_000L;

  public Money {
    requireIsoCurrency(currency);
    if (Math.abs(amountMinor) > MAX_AMOUNT_MINOR) {
      throw new IllegalArgumentException("amount exceeds " + MAX_AMOUNT_MINOR + " minor units");
    }
  }

  /**
   * Checks that {@code code} is an ISO 4217 alphabetic currency code in upper case.
   *
   * @return the code itself
   * @throws IllegalArgumentException when it is not
   */
  public static String requireIsoCurrency(String code) {
    if (!isIsoCurrency(code)) {
      throw new IllegalArgumentException("not an ISO 4217 currency code: " + code);
    }
    return code;
  }

  /** Whether {@code code} is an ISO 4217 alphabetic currency code in upper case. */
  public static boolean isIsoCurrency(String code) {
    if (code == null
        || code.length() != 3
        || !code.equals(code.toUpperCase(java.util.Locale.ROOT))) {
      return false;
    }
    try {
      return Objects.equals(Currency.getInstance(code).getCurrencyCode(), code);
    } catch (IllegalArgumentException notIso) {
      return false;
    }
  }

  /** Whether {@code amountMinor} is a valid amount for one deposit, withdrawal or transfer. */
  public static boolean isValidMovementAmount(long amountMinor) {
    return amountMinor > 0 && amountMinor <= MAX_AMOUNT_MINOR;
  }
}
