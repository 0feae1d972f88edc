package io.ledgerline.query.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.ledgerline.platform.web.security.ApiSecurityAutoConfiguration;
import io.ledgerline.platform.web.security.BrowserPages;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The dashboard signing in with an OpenID Connect provider (here a Keycloak-like issuer with a
 * path, and a nested roles claim): the page learns the issuer, its client id and the roles claim
 * from {@code /dashboard/config.json}, and its content security policy lets it call exactly that
 * issuer's origin, nothing broader, while the API's stays closed.
 */
@WebMvcTest(
    useDefaultFilters = false,
    includeFilters =
        @ComponentScan.Filter(
            type = FilterType.REGEX,
            pattern = {
              "io\\.ledgerline\\.query\\.security\\.ApiAccessRules",
              "io\\.ledgerline\\.query\\.dashboard\\.Dashboard(PagesConfiguration|ConfigController)"
            }),
    properties = {
      "ledgerline.security.jwt.issuer-uri=https://login.example.com/realms/ledgerline",
      "ledgerline.security.jwt.roles-claim=realm_access.roles"
    })
@ImportAutoConfiguration(ApiSecurityAutoConfiguration.class)
class DashboardSignInPagesTest {

  private static final String POLICY =
      BrowserPages.CONTENT_SECURITY_POLICY.replace(
          "connect-src 'self';", "connect-src 'self' https://login.example.com;");

  @Autowired MockMvc mvc;

  @Test
  void thePageSignsInWithTheTrustedIssuerAsTheDashboardsClient() throws Exception {
    mvc.perform(get("/dashboard/config.json"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.signIn.issuer").value("https://login.example.com/realms/ledgerline"))
        .andExpect(jsonPath("$.signIn.clientId").value("ledgerline-dashboard"))
        .andExpect(jsonPath("$.signIn.scope").value("openid profile"))
        .andExpect(jsonPath("$.rolesClaim").value("realm_access.roles"));
  }

  @Test
  void thePagesMayCallTheIssuersOriginAndNothingElseBesideThemselves() throws Exception {
    for (String page :
        List.of(
            "/", "/index.html", "/account.html", "/assets/signin.js", "/dashboard/config.json")) {
      mvc.perform(get(page))
          .andExpect(status().isOk())
          .andExpect(header().string("Content-Security-Policy", POLICY));
    }
    assertThat(POLICY)
        .contains("form-action 'none'")
        .contains("script-src 'self';")
        .doesNotContain("*")
        .doesNotContain("https:;");
    mvc.perform(get("/api/v1/dashboard/totals"))
        .andExpect(status().isUnauthorized())
        .andExpect(
            header()
                .string("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"));
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class NoTokenIsValid {

    @Bean
    JwtDecoder jwtDecoder() {
      return token -> {
        throw new BadJwtException("no token is valid in this test");
      };
    }
  }
}
