package io.ledgerline.platform.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.Filter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.cors.CorsConfigurationSource;

/** The shared filter chain, with real RS256 tokens signed by a key made for the test. */
class ApiSecurityAutoConfigurationTest {

  @TempDir static Path keys;
  private static KeyPair keyPair;
  private static Path publicKey;

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ApiSecurityAutoConfiguration.class,
                  ManagementWebSecurityAutoConfiguration.class,
                  SecurityAutoConfiguration.class,
                  UserDetailsServiceAutoConfiguration.class,
                  OAuth2ResourceServerAutoConfiguration.class,
                  JacksonAutoConfiguration.class,
                  HttpMessageConvertersAutoConfiguration.class,
                  DispatcherServletAutoConfiguration.class,
                  WebMvcAutoConfiguration.class))
          .withPropertyValues(
              "ledgerline.security.jwt.issuer=test-issuer",
              "ledgerline.security.jwt.audience=ledgerline",
              "ledgerline.security.jwt.public-key-location=file:" + publicKey);

  @BeforeAll
  static void signingKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    keyPair = generator.generateKeyPair();
    publicKey = keys.resolve("public.pem");
    Files.writeString(
        publicKey,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(keyPair.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n",
        StandardCharsets.US_ASCII);
  }

  @Test
  void providesTheChainTheDecoderAndClosedCors() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(SecurityFilterChain.class);
          assertThat(context).hasSingleBean(JwtDecoder.class);
          assertThat(context).doesNotHaveBean(UserDetailsService.class);
          assertThat(context.getBean(SecurityProperties.class))
              .isEqualTo(
                  new SecurityProperties(
                      "test-issuer",
                      "ledgerline",
                      null,
                      "file:" + publicKey,
                      List.of(),
                      null,
                      "roles",
                      null,
                      Duration.ofSeconds(5),
                      Duration.ofSeconds(15)));
          assertThat(context).doesNotHaveBean(RevocationList.class);
          assertThat(
                  context
                      .getBean("corsConfigurationSource", CorsConfigurationSource.class)
                      .getCorsConfiguration(new MockHttpServletRequest("GET", "/api/v1/x")))
              .isNull();
        });
  }

  @Test
  void theFilterChainUsesTheFirewallWithScannedCharacters() {
    runner.run(
        context -> {
          HttpFirewall firewall = context.getBean(HttpFirewall.class);
          assertThat(ReflectionTestUtils.getField(firewall, "allowedHeaderValues"))
              .isSameAs(FirewallCharacters.HEADER_VALUE);
          // Spring's composites wrap the chain that WebSecurity built; that one checks.
          Object built = context.getBean("springSecurityFilterChain");
          while (ReflectionUtils.findField(built.getClass(), "springSecurityFilterChain") != null) {
            built = ReflectionTestUtils.getField(built, "springSecurityFilterChain");
          }
          assertThat(built).isInstanceOf(FilterChainProxy.class);
          assertThat(ReflectionTestUtils.getField(built, "firewall")).isSameAs(firewall);
        });
  }

  @Test
  void allowsTheConfiguredCorsOrigins() {
    runner
        .withPropertyValues("ledgerline.security.jwt.cors-allowed-origins=https://app.example")
        .run(
            context ->
                assertThat(
                        context
                            .getBean("corsConfigurationSource", CorsConfigurationSource.class)
                            .getCorsConfiguration(new MockHttpServletRequest("GET", "/api/v1/x"))
                            .getAllowedOrigins())
                    .containsExactly("https://app.example"));
  }

  @Test
  void backsOffFromTheServicesOwnChainAndDecoder() {
    JwtDecoder decoder =
        token -> {
          throw new UnsupportedOperationException();
        };
    SecurityFilterChain chain = new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE);
    runner
        .withBean(JwtDecoder.class, () -> decoder)
        .withBean(SecurityFilterChain.class, () -> chain)
        .run(
            context -> {
              assertThat(context.getBean(JwtDecoder.class)).isSameAs(decoder);
              assertThat(context.getBean(SecurityFilterChain.class)).isSameAs(chain);
            });
  }

  @Test
  void theDevelopmentIssuerCannotBeTrustedInTheProductionProfile() {
    runner
        .withPropertyValues(
            "ledgerline.security.jwt.issuer=" + ApiSecurityAutoConfiguration.DEVELOPMENT_ISSUER,
            "spring.profiles.active=production")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(
                        "development token issuer cannot be trusted in the production profile"));
  }

  @Test
  void tokensNeedAKeyToBeCheckedAgainst() {
    runner
        .withPropertyValues("ledgerline.security.jwt.public-key-location=")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("set ledgerline.security.jwt.jwk-set-uri"));
  }

  @Test
  void aMissingOrBadTokenIsA401Problem() {
    runner.run(
        context -> {
          MockMvc mvc = mvc(context);
          for (MockHttpServletRequestBuilder request :
              List.of(
                  get("/api/v1/transfers/x"),
                  get("/api/v1/transfers/x").header("Authorization", "Bearer not-a-jwt"),
                  get("/api/v1/transfers/x")
                      .header("Authorization", bearer("operator", "other-service")))) {
            MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();
            assertThat(response.getStatus()).isEqualTo(401);
            assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
            assertThat(response.getContentType()).startsWith("application/problem+json");
            assertThat(response.getContentAsString())
                .isEqualTo(
                    "{\"type\":\"urn:ledgerline:problem:unauthorized\",\"title\":\"Unauthorized\","
                        + "\"status\":401,\"detail\":\"a valid bearer token is required\"}");
          }
        });
  }

  @Test
  void theServicesRulesDecideWhichRoleMayCallWhatAndTheRestNeedsAToken() {
    runner
        .withBean(
            ApiAuthorizationRules.class,
            () -> rules -> rules.requestMatchers("/api/v1/admin/**").hasRole(Caller.ADMIN))
        .run(
            context -> {
              MockMvc mvc = mvc(context);
              MockHttpServletResponse denied =
                  mvc.perform(
                          get("/api/v1/admin/rebuilds")
                              .header("Authorization", bearer("customer", "ledgerline")))
                      .andReturn()
                      .getResponse();
              assertThat(denied.getStatus()).isEqualTo(403);
              assertThat(denied.getContentAsString())
                  .isEqualTo(
                      "{\"type\":\"urn:ledgerline:problem:forbidden\",\"title\":\"Forbidden\","
                          + "\"status\":403,\"detail\":\"your role may not do this\"}");
              // Past security; no controller answers in this test.
              assertThat(status(mvc, "/api/v1/admin/rebuilds", bearer("admin", "ledgerline")))
                  .isEqualTo(404);
              assertThat(status(mvc, "/api/v1/anything", bearer("customer", "ledgerline")))
                  .isEqualTo(404);
              assertThat(status(mvc, "/actuator/health/readiness", null)).isEqualTo(404);
              assertThat(status(mvc, "/v3/api-docs", null)).isEqualTo(404);
              // Prometheus scrapes without a token; the other actuator endpoints are for admins.
              assertThat(status(mvc, "/actuator/prometheus", null)).isEqualTo(404);
              assertThat(status(mvc, "/actuator/metrics", null)).isEqualTo(401);
              assertThat(status(mvc, "/actuator/metrics", bearer("operator", "ledgerline")))
                  .isEqualTo(403);
              assertThat(status(mvc, "/actuator/info", bearer("operator", "ledgerline")))
                  .isEqualTo(403);
              assertThat(status(mvc, "/actuator/metrics", bearer("admin", "ledgerline")))
                  .isEqualTo(404);
            });
  }

  @Test
  void roleRulesAreEnforcedInTheirOrderTheFirstMatchDeciding() {
    runner
        .withBean(
            RoleRules.class,
            () ->
                RoleRules.builder()
                    .post("/api/v1/things/*/close")
                    .roles(Caller.OPERATOR)
                    .any("/api/v1/things/**")
                    .roles(Caller.CUSTOMER, Caller.OPERATOR)
                    .build())
        .run(
            context -> {
              MockMvc mvc = mvc(context);
              assertThat(status(mvc, "/api/v1/things/1", bearer("customer", "ledgerline")))
                  .isEqualTo(404);
              assertThat(status(mvc, "/api/v1/things/1", bearer("auditor", "ledgerline")))
                  .isEqualTo(403);
              assertThat(
                      mvc.perform(
                              post("/api/v1/things/1/close")
                                  .header("Authorization", bearer("customer", "ledgerline")))
                          .andReturn()
                          .getResponse()
                          .getStatus())
                  .isEqualTo(403);
              // Past security; no controller answers in this test.
              assertThat(
                      mvc.perform(
                              post("/api/v1/things/1/close")
                                  .header("Authorization", bearer("operator", "ledgerline")))
                          .andReturn()
                          .getResponse()
                          .getStatus())
                  .isEqualTo(404);
            });
  }

  @Test
  void answersCarryTheSecurityHeaders() {
    runner.run(
        context -> {
          MockHttpServletResponse response =
              mvc(context).perform(get("/actuator/health")).andReturn().getResponse();
          assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
          assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
          assertThat(response.getHeader("Content-Security-Policy"))
              .isEqualTo("default-src 'none'; frame-ancestors 'none'");
          assertThat(response.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
        });
  }

  @Test
  void browserPagesAreOpenWithTheirOwnPolicyWhileTheApiStillNeedsAToken() {
    runner
        .withBean(BrowserPages.class, () -> BrowserPages.of("/", "/index.html", "/assets/**"))
        .run(
            context -> {
              MockMvc mvc = mvc(context);
              for (String page : List.of("/", "/index.html", "/assets/js/app.js")) {
                MockHttpServletResponse response = mvc.perform(get(page)).andReturn().getResponse();
                // Past security; no page is served in this test.
                assertThat(response.getStatus()).as(page).isEqualTo(404);
                assertThat(response.getHeader("Content-Security-Policy"))
                    .isEqualTo(BrowserPages.CONTENT_SECURITY_POLICY);
                assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
              }
              MockHttpServletResponse api =
                  mvc.perform(get("/api/v1/dashboard/totals")).andReturn().getResponse();
              assertThat(api.getStatus()).isEqualTo(401);
              assertThat(api.getHeader("Content-Security-Policy"))
                  .isEqualTo("default-src 'none'; frame-ancestors 'none'");
              assertThat(status(mvc, "/account.html", null)).isEqualTo(401);
              assertThat(mvc.perform(post("/index.html")).andReturn().getResponse().getStatus())
                  .isEqualTo(401);
            });
  }

  @Test
  void pagesThatSignInWithAProviderMayCallItsOriginAndNothingBroader() {
    runner
        .withBean(
            BrowserPages.class,
            () ->
                BrowserPages.of("/", "/assets/**")
                    .connectingTo("http://127.0.0.1:9000")
                    .connectingTo("http://127.0.0.1:9000/"))
        .run(
            context -> {
              MockMvc mvc = mvc(context);
              String policy =
                  mvc.perform(get("/"))
                      .andReturn()
                      .getResponse()
                      .getHeader("Content-Security-Policy");
              assertThat(policy)
                  .isEqualTo(
                      BrowserPages.CONTENT_SECURITY_POLICY.replace(
                          "connect-src 'self';", "connect-src 'self' http://127.0.0.1:9000;"))
                  .contains("form-action 'none'")
                  .contains("script-src 'self';");
              // The API's policy stays closed.
              assertThat(
                      mvc.perform(get("/api/v1/dashboard/totals"))
                          .andReturn()
                          .getResponse()
                          .getHeader("Content-Security-Policy"))
                  .isEqualTo("default-src 'none'; frame-ancestors 'none'");
            });
  }

  @Test
  void aConnectOriginIsExactlyTheIssuersOrigin() {
    assertThat(
            BrowserPages.of("/")
                .connectingTo("https://Login.Example.com/realms/ledgerline")
                .connectOrigins())
        .containsExactly("https://login.example.com");
    assertThat(BrowserPages.originOf("https://idp.example.com:443/x"))
        .isEqualTo("https://idp.example.com");
    assertThat(BrowserPages.originOf("http://127.0.0.1:9000")).isEqualTo("http://127.0.0.1:9000");
    assertThat(BrowserPages.originOf("http://[::1]:9000/")).isEqualTo("http://[::1]:9000");
    assertThat(BrowserPages.of("/").connectOrigins()).isEmpty();
    assertThat(BrowserPages.of("/").contentSecurityPolicy())
        .isEqualTo(BrowserPages.CONTENT_SECURITY_POLICY)
        .contains("connect-src 'self';");
    for (String broader :
        List.of(
            "*",
            "https:",
            "https://*.example.com",
            "https://*",
            "//idp.example.com",
            "idp.example.com",
            "ftp://idp.example.com",
            "data:text/plain,x",
            "https://user:pass@idp.example.com",
            "https://idp.example.com; script-src *",
            "https://idp.example.com 'unsafe-inline'",
            "")) {
      assertThatIllegalArgumentException()
          .as(broader)
          .isThrownBy(() -> BrowserPages.of("/").connectingTo(broader));
    }
    for (String notAnOrigin :
        List.of(
            "https://idp.example.com/", "https://IDP.example.com", "https://idp.example.com:443")) {
      assertThatIllegalArgumentException()
          .as(notAnOrigin)
          .isThrownBy(() -> new BrowserPages(List.of("/"), List.of(notAnOrigin)));
    }
  }

  @Test
  void noApiPathCanBeDeclaredAPage() {
    for (String path :
        List.of(
            "/api/v1/accounts",
            "/api/**",
            "/actuator/env",
            "/v3/api-docs",
            "/error",
            "/**",
            "/*/v1/accounts",
            "/{any}/v1",
            "assets/**")) {
      assertThatIllegalArgumentException().as(path).isThrownBy(() -> BrowserPages.of(path));
    }
    assertThat(BrowserPages.of("/", "/webjars/**").paths()).containsExactly("/", "/webjars/**");
  }

  private static MockMvc mvc(AssertableWebApplicationContext context) {
    return MockMvcBuilders.webAppContextSetup(context)
        .addFilters(context.getBean("springSecurityFilterChain", Filter.class))
        .build();
  }

  private static int status(MockMvc mvc, String path, String authorization) throws Exception {
    MockHttpServletRequestBuilder request = get(path);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return mvc.perform(request).andReturn().getResponse().getStatus();
  }

  private static String bearer(String role, String audience) throws Exception {
    Instant now = Instant.now();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.RS256),
            new JWTClaimsSet.Builder()
                .issuer("test-issuer")
                .audience(audience)
                .subject("alice")
                .claim("roles", List.of(role))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now.minusSeconds(10)))
                .expirationTime(Date.from(now.plusSeconds(600)))
                .build());
    jwt.sign(new RSASSASigner((RSAPrivateKey) keyPair.getPrivate()));
    return "Bearer " + jwt.serialize();
  }
}
