package io.ledgerline.query.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.ledgerline.platform.web.security.ApiSecurityAutoConfiguration;
import io.ledgerline.platform.web.security.BrowserPages;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The dashboard's static pages as the query side serves them, through the shared security chain:
 * open without a token under their own content security policy, while the API behind them still
 * needs one; and written so that policy can hold (no inline script, style or handler). Infra's
 * {@code DashboardPageIT} drives them in a browser on the real stack.
 */
@WebMvcTest(
    useDefaultFilters = false,
    includeFilters =
        @ComponentScan.Filter(
            type = FilterType.REGEX,
            pattern = {
              "io\\.ledgerline\\.query\\.security\\.ApiAccessRules",
              "io\\.ledgerline\\.query\\.dashboard\\.Dashboard(PagesConfiguration|ConfigController)"
            }))
@ImportAutoConfiguration(ApiSecurityAutoConfiguration.class)
class DashboardPagesTest {

  private static final List<String> FILES =
      List.of(
          "/index.html",
          "/account.html",
          "/assets/session.js",
          "/assets/signin.js",
          "/assets/dashboard.js",
          "/assets/account.js",
          "/assets/ledgerline.css",
          "/assets/favicon.svg",
          "/webjars/echarts/dist/echarts.min.js");

  @Autowired MockMvc mvc;

  @Test
  void theDashboardIsServedWithoutATokenUnderItsOwnPolicy() throws Exception {
    mvc.perform(get("/"))
        .andExpect(status().isOk())
        .andExpect(forwardedUrl("index.html"))
        .andExpect(
            header().string("Content-Security-Policy", BrowserPages.CONTENT_SECURITY_POLICY));
    for (String file : FILES) {
      mvc.perform(get(file))
          .andExpect(status().isOk())
          .andExpect(
              header().string("Content-Security-Policy", BrowserPages.CONTENT_SECURITY_POLICY))
          .andExpect(header().string("X-Content-Type-Options", "nosniff"));
    }
  }

  @Test
  void withoutAnIssuerThePageIsToldToTakePastedTokensOnly() throws Exception {
    mvc.perform(get("/dashboard/config.json"))
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
        .andExpect(jsonPath("$.signIn").value(nullValue()))
        .andExpect(jsonPath("$.rolesClaim").value("roles"))
        .andExpect(
            header().string("Content-Security-Policy", BrowserPages.CONTENT_SECURITY_POLICY));
  }

  @Test
  void theApiBehindThePagesStillNeedsAToken() throws Exception {
    for (String path :
        List.of(
            "/api/v1/dashboard/totals",
            "/api/v1/feed",
            "/api/v1/projections",
            "/api/v1/accounts/x",
            "/webjars/other/x.js")) {
      mvc.perform(get(path))
          .andExpect(status().isUnauthorized())
          .andExpect(
              header()
                  .string("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"));
    }
  }

  @Test
  void thePagesRunNothingInlineSoTheirPolicyCanRefuseIt() throws Exception {
    Pattern inlineScript =
        Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
    Pattern inlineStyle = Pattern.compile("<style|\\sstyle=", Pattern.CASE_INSENSITIVE);
    Pattern handler = Pattern.compile("\\son[a-z]+=", Pattern.CASE_INSENSITIVE);
    Pattern foreign = Pattern.compile("(src|href)=\"(?!/)[^\"#]*\"", Pattern.CASE_INSENSITIVE);
    for (Resource page : resources("classpath:/static/*.html")) {
      String html = page.getContentAsString(StandardCharsets.UTF_8);
      assertThat(html)
          .as(page.getFilename())
          .doesNotContainPattern(inlineScript)
          .doesNotContainPattern(inlineStyle)
          .doesNotContainPattern(handler)
          .doesNotContainPattern(foreign);
    }
    for (Resource script : resources("classpath:/static/assets/*.js")) {
      assertThat(script.getContentAsString(StandardCharsets.UTF_8))
          .as(script.getFilename())
          .doesNotContain("innerHTML")
          .doesNotContain("eval(")
          .doesNotContain("new Function");
    }
  }

  private static Resource[] resources(String pattern) throws Exception {
    Resource[] found = new PathMatchingResourcePatternResolver().getResources(pattern);
    assertThat(found).as(pattern).isNotEmpty();
    return found;
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
