package io.ledgerline.command.topup;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.command.topup.TopUpRequests.TopUpRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a top-up request may hold: the rules a POST is checked against before anything happens. */
class TopUpRequestsTest {

  private static final String ACCOUNT = "0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f";

  private static ValidatorFactory factory;
  private static Validator validator;

  @BeforeAll
  static void validator() {
    factory = Validation.buildDefaultValidatorFactory();
    validator = factory.getValidator();
  }

  @AfterAll
  static void close() {
    factory.close();
  }

  @Test
  void acceptsAnAmountUpToTheLargestCardPaymentWithOrWithoutACurrency() {
    assertThat(invalidFields(new TopUpRequest(ACCOUNT, 1L, null))).isEmpty();
    assertThat(invalidFields(new TopUpRequest(ACCOUNT, 99_999_999L, "EUR"))).isEmpty();
  }

  @Test
  void refusesNoAmountNothingNegativeAmountsAndMoreThanACardPays() {
    assertThat(invalidFields(new TopUpRequest(ACCOUNT, null, null))).containsExactly("amount");
    assertThat(invalidFields(new TopUpRequest(ACCOUNT, 0L, null))).containsExactly("amount");
    assertThat(invalidFields(new TopUpRequest(ACCOUNT, -5L, null))).containsExactly("amount");
    assertThat(invalidFields(new TopUpRequest(ACCOUNT, 100_000_000L, null)))
        .containsExactly("amount");
  }

  @Test
  void refusesAMissingAccountAndACurrencyThatIsNoCode() {
    assertThat(invalidFields(new TopUpRequest(null, 100L, null))).containsExactly("accountId");
    assertThat(invalidFields(new TopUpRequest(" ", 100L, null))).containsExactly("accountId");
    assertThat(invalidFields(new TopUpRequest("a".repeat(256), 100L, null)))
        .containsExactly("accountId");
    assertThat(invalidFields(new TopUpRequest(ACCOUNT, 100L, "eur"))).containsExactly("currency");
    assertThat(invalidFields(new TopUpRequest(ACCOUNT, 100L, "EURO"))).containsExactly("currency");
  }

  private static Set<String> invalidFields(TopUpRequest request) {
    return validator.validate(request).stream()
        .map(ConstraintViolation::getPropertyPath)
        .map(Object::toString)
        .collect(Collectors.toSet());
  }
}
