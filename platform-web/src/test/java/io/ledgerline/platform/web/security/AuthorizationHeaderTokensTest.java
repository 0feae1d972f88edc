package io.ledgerline.platform.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/** The scan must answer every header exactly as Spring Security's own resolver does. */
class AuthorizationHeaderTokensTest {

  private final BearerTokenResolver testSubject = new AuthorizationHeaderTokens();
  private final BearerTokenResolver spring = new DefaultBearerTokenResolver();

  @Test
  void findsTheTokenOfAWellFormedHeaderInAnyCaseOfTheScheme() {
    assertThat(testSubject.resolve(request("Bearer abc.DEF-_~+/123==")))
        .isEqualTo("abc.DEF-_~+/123==");
    assertThat(testSubject.resolve(request("bEaReR x"))).isEqualTo("x");
  }

  @Test
  void theScanItselfAnswersWellFormedHeadersAndLeavesTheRestToSpring() {
    assertThat(AuthorizationHeaderTokens.wellFormedToken("Bearer a.b=")).isEqualTo("a.b=");
    assertThat(AuthorizationHeaderTokens.wellFormedToken("Bearer a b")).isNull();
    assertThat(AuthorizationHeaderTokens.wellFormedToken("Bearer ==")).isNull();
    assertThat(AuthorizationHeaderTokens.wellFormedToken(null)).isNull();
  }

  @Test
  void answersAsSpringSecurityForEdgeCases() {
    List<String> headers =
        List.of(
            "",
            "Bearer",
            "Bearer ",
            "Bearer =",
            "Bearer ==",
            "Bearer a=b",
            "Bearer a =",
            "Bearer  a",
            "Bearer a ",
            "Bearer a\n",
            "Bearer\ta",
            "Basic dXNlcjpwYXNz",
            "Bearerx a",
            "bearer a.b.c",
            "BEARER a.b.c=",
            "Bearer a.b.c%",
            "Bearer ä",
            "Bearer a,b");
    for (String header : headers) {
      assertThat(outcome(testSubject, header)).as(header).isEqualTo(outcome(spring, header));
    }
    assertThat(outcome(testSubject, null)).isEqualTo(outcome(spring, null));
  }

  @Test
  void answersAsSpringSecurityForRandomHeaders() {
    String alphabet = "Bbearr EaAz09-._~+/=%,\t\näÄ";
    Random random = new Random(20261203L);
    List<String> headers = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      StringBuilder header = new StringBuilder(random.nextBoolean() ? "Bearer " : "");
      int length = random.nextInt(12);
      for (int j = 0; j < length; j++) {
        header.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      headers.add(header.toString());
    }
    for (String header : headers) {
      assertThat(outcome(testSubject, header)).as(header).isEqualTo(outcome(spring, header));
    }
  }

  /** The token, or the error Spring reports; both resolvers must agree on it. */
  private static String outcome(BearerTokenResolver resolver, String header) {
    try {
      return "token " + resolver.resolve(request(header));
    } catch (OAuth2AuthenticationException e) {
      return "error " + e.getError().getErrorCode() + ": " + e.getError().getDescription();
    }
  }

  private static MockHttpServletRequest request(String authorization) {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/accounts");
    if (authorization != null) {
      request.addHeader("Authorization", authorization);
    }
    return request;
  }
}
