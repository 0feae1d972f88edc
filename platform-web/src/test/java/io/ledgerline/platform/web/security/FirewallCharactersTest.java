package io.ledgerline.platform.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/** The scans must accept exactly what Spring Security's expressions accept. */
class FirewallCharactersTest {

  // Spring Security's own rules, as its firewall has them.
  private static final Predicate<String> SPRING_NAMES = StrictHttpFirewall.ALLOWED_HEADER_NAMES;
  private static final Predicate<String> SPRING_PARAMETER_NAMES =
      StrictHttpFirewall.ALLOWED_PARAMETER_NAMES;
  private static final Predicate<String> SPRING_HEADER_VALUES =
      StrictHttpFirewall.ALLOWED_HEADER_VALUES;

  @Test
  void acceptsWhatSpringAcceptsForEveryCharacter() {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      String value = "a" + (char) c + "b";
      assertThat(FirewallCharacters.ASSIGNED_AND_NOT_CONTROL.test(value))
          .as("U+%04X", c)
          .isEqualTo(SPRING_NAMES.test(value));
      assertThat(FirewallCharacters.HEADER_VALUE.test(value))
          .as("U+%04X", c)
          .isEqualTo(SPRING_HEADER_VALUES.test(value));
    }
  }

  @Test
  void acceptsWhatSpringAcceptsForRandomCodePointStrings() {
    Random random = new Random(20261203L);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder value = new StringBuilder();
      int length = random.nextInt(6);
      for (int j = 0; j < length; j++) {
        int pick = random.nextInt(4);
        if (pick == 0) {
          value.appendCodePoint(random.nextInt(Character.MAX_CODE_POINT + 1));
        } else if (pick == 1) {
          value.append((char) (0xD800 + random.nextInt(0x800))); // lone surrogates too
        } else {
          value.append((char) random.nextInt(0x80));
        }
      }
      String text = value.toString();
      assertThat(FirewallCharacters.ASSIGNED_AND_NOT_CONTROL.test(text))
          .as(text)
          .isEqualTo(SPRING_NAMES.test(text));
      assertThat(FirewallCharacters.ASSIGNED_AND_NOT_CONTROL.test(text))
          .as(text)
          .isEqualTo(SPRING_PARAMETER_NAMES.test(text));
      assertThat(FirewallCharacters.HEADER_VALUE.test(text))
          .as(text)
          .isEqualTo(SPRING_HEADER_VALUES.test(text));
    }
  }

  @Test
  void theFirewallStillRejectsControlCharactersInHeaders() {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/accounts");
    request.addHeader("X-Note", "line\u0007bell");
    request.addHeader("X-Tabbed", "a\tb");

    var firewalled = FirewallCharacters.strictFirewall().getFirewalledRequest(request);

    assertThat(firewalled.getHeader("X-Tabbed")).isEqualTo("a\tb");
    assertThatThrownBy(() -> firewalled.getHeader("X-Note"))
        .isInstanceOf(RequestRejectedException.class);
  }
}
