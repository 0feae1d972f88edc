package io.ledgerline.command.owner;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.command.owner.OwnerRequests.OwnerProfileRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a profile may hold: the rules a PUT is checked against before anything is sealed. */
class OwnerRequestsTest {

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

  @ParameterizedTest
  @ValueSource(strings = {"Alice Example", "Zoë Ångström-Ñúñez", "山田 太郎", "O'Brien, Jr.", "A"})
  void acceptsNamesOfPeople(String name) {
    assertThat(invalidFields(new OwnerProfileRequest(name, "alice@example.com"))).isEmpty();
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "   ",
        "Alice\nExample",
        "Alice\tExample",
        "Alice\u0000",
        "Alice\u007f",
        "Alice\u0085",
        "Alice\u2028Example",
        "\u202eelpmaxE ecilA",
        "Alice\u2066"
      })
  void refusesEmptyNamesAndControlCharacters(String name) {
    assertThat(invalidFields(new OwnerProfileRequest(name, "alice@example.com")))
        .containsExactly("name");
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 201})
  void aNameHasAtMost200Characters(int length) {
    Set<String> invalid =
        invalidFields(new OwnerProfileRequest("a".repeat(length), "alice@example.com"));

    assertThat(invalid.contains("name")).isEqualTo(length > 200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "alice@example.com",
        "a.b+c@sub.example.co.uk",
        "o'brien@example.ie",
        "x@xn--bcher-kva.example",
        "user_1@ex-ample.com"
      })
  void acceptsEmailAddresses(String email) {
    assertThat(invalidFields(new OwnerProfileRequest("Alice", email))).isEmpty();
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "alice",
        "alice@",
        "@example.com",
        "alice@example",
        "alice@@example.com",
        "alice@exa mple.com",
        "alice example@example.com",
        "alice@-example.com",
        "alice@example-.com",
        "alice@example..com",
        "alice@example.com\n",
        "alicé@example.com",
        "<alice@example.com>"
      })
  void refusesAnythingButAnEmailAddress(String email) {
    assertThat(invalidFields(new OwnerProfileRequest("Alice", email))).containsExactly("email");
  }

  @ParameterizedTest
  @ValueSource(ints = {64, 65})
  void theLocalPartHasAtMost64Characters(int length) {
    Set<String> invalid =
        invalidFields(new OwnerProfileRequest("Alice", "a".repeat(length) + "@example.com"));

    assertThat(invalid.contains("email")).isEqualTo(length > 64);
  }

  @ParameterizedTest
  @ValueSource(ints = {254, 255})
  void anEmailAddressHasAtMost254Characters(int length) {
    String domain = "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60) + ".";
    String local = "a".repeat(64);
    String tld = "e".repeat(length - local.length() - 1 - domain.length());
    String email = local + "@" + domain + tld;
    assertThat(email).hasSize(length);

    assertThat(invalidFields(new OwnerProfileRequest("Alice", email)).contains("email"))
        .isEqualTo(length > 254);
  }

  private static Set<String> invalidFields(OwnerProfileRequest request) {
    return validator.validate(request).stream()
        .map(ConstraintViolation::getPropertyPath)
        .map(Object::toString)
        .collect(Collectors.toSet());
  }
}
