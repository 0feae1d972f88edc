package io.ledgerline.platform.web.security;

import io.ledgerline.platform.web.problem.Problems;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Every API call needs a valid RS256 JWT (signature, issuer, audience, expiry, not-before); roles
 * come from its {@code roles} claim. Only health probes, the Prometheus scrape, the OpenAPI
 * description and the service's {@link BrowserPages} (static files, with a content security policy
 * of their own) are open, the other actuator endpoints are for admins; the service's {@link
 * ApiAuthorizationRules} say which role may call which of its paths. Failures are problem+json: 401
 * for a missing or bad token, 403 for a role that may not act.
 */
// Before Boot's (and the actuator's) defaults, which back off from this chain and decoder.
@AutoConfiguration(
    before = {
      SecurityAutoConfiguration.class,
      UserDetailsServiceAutoConfiguration.class,
      OAuth2ResourceServerAutoConfiguration.class
    },
    beforeName =
        "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({SecurityFilterChain.class, NimbusJwtDecoder.class})
@EnableConfigurationProperties(SecurityProperties.class)
public class ApiSecurityAutoConfiguration {

  /** The local stack's development issuer; refused in the production profile. */
  public static final String DEVELOPMENT_ISSUER = "ledgerline-local";

  // The API answers JSON only: nothing in it may load or run anything, nor be framed.
  private static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";

  private static final AuthenticationEntryPoint UNAUTHORIZED =
      (request, response, e) ->
          problem(
              response,
              HttpStatus.UNAUTHORIZED,
              "unauthorized",
              "Unauthorized",
              "a valid bearer token is required");

  private static final AccessDeniedHandler FORBIDDEN =
      (request, response, e) ->
          problem(
              response,
              HttpStatus.FORBIDDEN,
              "forbidden",
              "Forbidden",
              "your role may not do this");

  @Bean
  @ConditionalOnMissingBean(SecurityFilterChain.class)
  SecurityFilterChain apiSecurityFilterChain(
      HttpSecurity http,
      ObjectProvider<ApiAuthorizationRules> serviceRules,
      ObjectProvider<BrowserPages> browserPages)
      throws Exception {
    RequestMatcher pages = pagesOf(browserPages.getIfAvailable());
    http.csrf(csrf -> csrf.disable()) // Bearer tokens only: no cookies for CSRF to abuse.
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .cors(Customizer.withDefaults()) // the corsConfigurationSource bean
        .headers(
            headers ->
                headers
                    .addHeaderWriter(
                        new DelegatingRequestMatcherHeaderWriter(
                            new NegatedRequestMatcher(pages),
                            new ContentSecurityPolicyHeaderWriter(API_POLICY)))
                    .addHeaderWriter(
                        new DelegatingRequestMatcherHeaderWriter(
                            pages,
                            new ContentSecurityPolicyHeaderWriter(
                                BrowserPages.CONTENT_SECURITY_POLICY)))
                    .referrerPolicy(r -> r.policy(ReferrerPolicy.NO_REFERRER)))
        .authorizeHttpRequests(
            authorize -> {
              authorize
                  .requestMatchers(
                      "/actuator/health",
                      "/actuator/health/**",
                      // Scraped without a token, as Prometheus usually is: counts and latencies
                      // tagged by type and outcome, never an account or an amount (README).
                      "/actuator/prometheus",
                      "/v3/api-docs",
                      "/v3/api-docs/**")
                  .permitAll()
                  .requestMatchers("/actuator/**")
                  .hasRole(Caller.ADMIN)
                  // Static files only (BrowserPages refuses API paths); their data needs a token.
                  .requestMatchers(pages)
                  .permitAll();
              serviceRules.orderedStream().forEach(rules -> rules.configure(authorize));
              authorize.anyRequest().authenticated();
            })
        .oauth2ResourceServer(
            oauth ->
                oauth
                    .jwt(jwt -> jwt.jwtAuthenticationConverter(rolesFromClaim()))
                    .authenticationEntryPoint(UNAUTHORIZED)
                    .accessDeniedHandler(FORBIDDEN))
        .exceptionHandling(
            e -> e.authenticationEntryPoint(UNAUTHORIZED).accessDeniedHandler(FORBIDDEN));
    return http.build();
  }

  @Bean
  @ConditionalOnMissingBean
  JwtDecoder jwtDecoder(SecurityProperties properties, Environment environment) throws Exception {
    if (environment.acceptsProfiles(Profiles.of("production"))
        && DEVELOPMENT_ISSUER.equals(properties.issuer())) {
      throw new IllegalStateException(
          "the development token issuer cannot be trusted in the production profile");
    }
    NimbusJwtDecoder decoder;
    if (properties.jwkSetUri() != null && !properties.jwkSetUri().isBlank()) {
      decoder =
          NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri())
              .jwsAlgorithm(SignatureAlgorithm.RS256)
              .jwsAlgorithm(SignatureAlgorithm.ES256)
              .build();
    } else if (properties.publicKeyLocation() != null
        && !properties.publicKeyLocation().isBlank()) {
      decoder =
          NimbusJwtDecoder.withPublicKey(
                  readPublicKey(
                      new DefaultResourceLoader().getResource(properties.publicKeyLocation())))
              .signatureAlgorithm(SignatureAlgorithm.RS256)
              .build();
    } else {
      throw new IllegalStateException(
          "set ledgerline.security.jwt.jwk-set-uri or ledgerline.security.jwt.public-key-location");
    }
    decoder.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(
            JwtValidators.createDefaultWithIssuer(properties.issuer()),
            required("exp"),
            audience(properties.audience())));
    return new VerifiedTokenCache(decoder, VERIFIED_TOKENS, java.time.Clock.systemUTC());
  }

  // GET only: a page is never posted to.
  private static RequestMatcher pagesOf(BrowserPages pages) {
    if (pages == null || pages.paths().isEmpty()) {
      return request -> false;
    }
    PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
    return new OrRequestMatcher(
        pages.paths().stream()
            .<RequestMatcher>map(path -> paths.matcher(HttpMethod.GET, path))
            .toList());
  }

  // About 1 KB each: ten thousand clients' tokens in about 10 MB.
  private static final int VERIFIED_TOKENS = 10_000;

  // The name Spring Security's CORS support looks up; closed (no origin) unless configured.
  @Bean
  @ConditionalOnMissingBean(name = "corsConfigurationSource")
  CorsConfigurationSource corsConfigurationSource(SecurityProperties properties) {
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    if (!properties.corsAllowedOrigins().isEmpty()) {
      CorsConfiguration cors = new CorsConfiguration();
      cors.setAllowedOrigins(properties.corsAllowedOrigins());
      cors.setAllowedMethods(List.of("GET", "POST"));
      cors.setAllowedHeaders(
          List.of(
              "Authorization",
              "Content-Type",
              "Idempotency-Key",
              "If-Match",
              "X-Correlation-Id",
              "Last-Event-ID"));
      cors.setExposedHeaders(List.of("ETag", "Location", "X-Correlation-Id", "Retry-After"));
      source.registerCorsConfiguration("/api/**", cors);
    }
    return source;
  }

  private static JwtAuthenticationConverter rolesFromClaim() {
    JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
    converter.setJwtGrantedAuthoritiesConverter(
        jwt -> {
          Collection<GrantedAuthority> authorities = new ArrayList<>();
          List<String> roles = jwt.getClaimAsStringList("roles");
          if (roles != null) {
            roles.forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
          }
          return authorities;
        });
    return converter;
  }

  private static OAuth2TokenValidator<Jwt> audience(String audience) {
    return jwt ->
        jwt.getAudience() != null && jwt.getAudience().contains(audience)
            ? OAuth2TokenValidatorResult.success()
            : OAuth2TokenValidatorResult.failure(
                new OAuth2Error("invalid_token", "wrong audience", null));
  }

  private static OAuth2TokenValidator<Jwt> required(String claim) {
    return jwt ->
        jwt.hasClaim(claim)
            ? OAuth2TokenValidatorResult.success()
            : OAuth2TokenValidatorResult.failure(
                new OAuth2Error("invalid_token", "missing " + claim, null));
  }

  private static RSAPublicKey readPublicKey(Resource location) throws Exception {
    try (InputStream in = location.getInputStream()) {
      String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      byte[] der =
          Base64.getMimeDecoder()
              .decode(
                  pem.replace("-----BEGIN PUBLIC KEY-----", "")
                      .replace("-----END PUBLIC KEY-----", ""));
      return (RSAPublicKey)
          KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    }
  }

  private static void problem(
      HttpServletResponse response, HttpStatus status, String kind, String title, String detail)
      throws IOException {
    if (status == HttpStatus.UNAUTHORIZED) {
      response.setHeader("WWW-Authenticate", "Bearer");
    }
    Problems.write(response, status.value(), kind, title, detail);
  }
}
