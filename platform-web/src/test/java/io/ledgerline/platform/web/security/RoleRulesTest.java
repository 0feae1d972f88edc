package io.ledgerline.platform.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/** The roles the API description states are those the first matching rule asks for. */
class RoleRulesTest {

  private final RoleRules testSubject =
      RoleRules.builder()
          .post("/api/v1/accounts/*/close")
          .roles(Caller.OPERATOR)
          .get("/api/v1/accounts", "/api/v1/accounts/**")
          .roles(Caller.CUSTOMER, Caller.OPERATOR)
          .any("/api/v1/admin/**")
          .roles(Caller.ADMIN)
          .build();

  @Test
  void theFirstMatchingRuleNamesTheRoles() {
    assertThat(testSubject.rolesFor(HttpMethod.POST, "/api/v1/accounts/{accountId}/close"))
        .contains(List.of(Caller.OPERATOR));
    assertThat(testSubject.rolesFor(HttpMethod.GET, "/api/v1/accounts/{accountId}/transactions"))
        .contains(List.of(Caller.CUSTOMER, Caller.OPERATOR));
    assertThat(testSubject.rolesFor(HttpMethod.GET, "/api/v1/accounts"))
        .contains(List.of(Caller.CUSTOMER, Caller.OPERATOR));
  }

  @Test
  void aRuleForAnyMethodMatchesEveryMethod() {
    assertThat(testSubject.rolesFor(HttpMethod.DELETE, "/api/v1/admin/rebuilds/{id}/index"))
        .contains(List.of(Caller.ADMIN));
    assertThat(testSubject.rolesFor(HttpMethod.GET, "/api/v1/admin/dead-letters"))
        .contains(List.of(Caller.ADMIN));
  }

  @Test
  void aPathNoRuleMatchesNeedsOnlyAToken() {
    assertThat(testSubject.rolesFor(HttpMethod.POST, "/api/v1/accounts")).isEmpty();
    assertThat(testSubject.rolesFor(HttpMethod.GET, "/api/v1/transfers/{transferId}")).isEmpty();
  }
}
