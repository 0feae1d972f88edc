package io.ledgerline.platform.web.security;

import io.ledgerline.platform.web.problem.Problems;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
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
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Every API call needs a valid RS256 (or ES256) JWT of a trusted issuer (signature, issuer,
 * audience, expiry, not-before; see {@link SecurityProperties} for the issuers); roles come from
 * its {@code roles} claim (or the one configured). With a revocation list configured, every
 * request's token is also checked against it ({@link RevocationList}). Only health probes, the
 * Prometheus scrape, the OpenAPI description and the service's {@link BrowserPages} (static files,
 * with a content security policy of their own) are open, the other actuator endpoints are for
 * admins; the service's {@link ApiAuthorizationRules} say which role may call which of its paths.
 * Failures are problem+json: 401 for a missing or bad token, 403 for a role that may not act.
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

  // A token that could not be checked (its issuer's keys or revocation list unreachable) is a
  // passing outage, not a bad token: 503, so that the client retries instead of signing in again.
  private static final AuthenticationFailureHandler TOKEN_FAILURE =
      (request, response, e) -> {
        if (e instanceof AuthenticationServiceException) {
          LoggerFactory.getLogger(ApiSecurityAutoConfiguration.class)
              .warn("A token could not be checked: {}", e.getMessage());
          response.setHeader("Retry-After", "1");
          Problems.write(
              response,
              HttpStatus.SERVICE_UNAVAILABLE.value(),
              "unavailable",
              "Service unavailable",
              "the token cannot be checked now; retry shortly");
        } else {
          UNAUTHORIZED.commence(request, response, e);
        }
      };

  @Bean
  @ConditionalOnMissingBean(SecurityFilterChain.class)
  SecurityFilterChain apiSecurityFilterChain(
      HttpSecurity http,
      ObjectProvider<ApiAuthorizationRules> serviceRules,
      ObjectProvider<BrowserPages> browserPages,
      SecurityProperties properties)
      throws Exception {
    BrowserPages declared = browserPages.getIfAvailable();
    RequestMatcher pages = pagesOf(declared);
    String pagePolicy =
        declared == null ? BrowserPages.CONTENT_SECURITY_POLICY : declared.contentSecurityPolicy();
    String rolesClaim = properties.rolesClaim();
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
                            pages, new ContentSecurityPolicyHeaderWriter(pagePolicy)))
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
                    .bearerTokenResolver(new AuthorizationHeaderTokens())
                    .jwt(jwt -> jwt.jwtAuthenticationConverter(rolesFromClaim(rolesClaim)))
                    .authenticationEntryPoint(UNAUTHORIZED)
                    .accessDeniedHandler(FORBIDDEN)
                    .withObjectPostProcessor(
                        new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                          @Override
                          public <O extends BearerTokenAuthenticationFilter> O postProcess(
                              O filter) {
                            filter.setAuthenticationFailureHandler(TOKEN_FAILURE);
                            return filter;
                          }
                        }))
        .exceptionHandling(
            e -> e.authenticationEntryPoint(UNAUTHORIZED).accessDeniedHandler(FORBIDDEN));
    return http.build();
  }

  /**
   * No observations inside Spring Security. It would otherwise wrap each of its dozen filters, the
   * authentication and the authorization of every request in an observation: about a tenth of the
   * command side's CPU under load, for spans nobody reads. Turning them off by name ({@code
   * management.observations.enable.spring.security}) only made each wrapper a no-op; without this
   * the wrappers are not installed at all. The request's own observation (its span and {@code
   * http.server.requests}) stays.
   */
  @Bean
  @ConditionalOnMissingBean
  static SecurityObservationSettings securityObservationSettings() {
    return SecurityObservationSettings.noObservations();
  }

  /** Spring's strict firewall, its character checks made cheap ({@link FirewallCharacters}). */
  @Bean
  @ConditionalOnMissingBean
  static HttpFirewall httpFirewall() {
    return FirewallCharacters.strictFirewall();
  }

  @Bean
  @ConditionalOnMissingBean
  JwtDecoder jwtDecoder(
      SecurityProperties properties,
      Environment environment,
      ObjectProvider<RevocationList> revocations)
      throws Exception {
    Map<String, JwtDecoder> trusted = new LinkedHashMap<>();
    if (hasText(properties.jwkSetUri()) || hasText(properties.publicKeyLocation())) {
      trusted.put(properties.issuer(), keyDecoder(properties));
    }
    if (hasText(properties.issuerUri())) {
      trusted.putIfAbsent(
          properties.issuerUri(),
          new DiscoveredIssuer(
              properties.issuerUri(),
              () -> discoveredDecoder(properties),
              DISCOVERY_RETRY,
              Clock.systemUTC()));
    }
    if (environment.acceptsProfiles(Profiles.of("production"))
        && trusted.containsKey(DEVELOPMENT_ISSUER)) {
      throw new IllegalStateException(
          "the development token issuer cannot be trusted in the production profile");
    }
    if (trusted.isEmpty()) {
      throw new IllegalStateException(
          "set ledgerline.security.jwt.jwk-set-uri or ledgerline.security.jwt.public-key-location"
              + " (with ledgerline.security.jwt.issuer), or ledgerline.security.jwt.issuer-uri");
    }
    JwtDecoder decoder =
        new VerifiedTokenCache(new TrustedIssuers(trusted), VERIFIED_TOKENS, Clock.systemUTC());
    RevocationList revocationList = revocations.getIfAvailable();
    // After the cache: a token remembered as verified is still checked on every request.
    return revocationList == null ? decoder : new RevocationCheck(decoder, revocationList);
  }

  /** The revocation list, polled from start to stop, when a revocation URI is configured. */
  @Bean
  @ConditionalOnMissingBean
  @Conditional(OnRevocationUri.class)
  RevocationList revocationList(SecurityProperties properties) {
    return new RevocationList(
        URI.create(properties.revocationUri()),
        properties.revocationIssuer(),
        properties.revocationMaxAge(),
        HTTP_TIMEOUT,
        Clock.systemUTC());
  }

  @Bean
  @ConditionalOnBean(RevocationList.class)
  SmartLifecycle revocationPolling(RevocationList list, SecurityProperties properties) {
    return new RevocationPolling(list, properties.revocationPollInterval());
  }

  // The issuer of the keys given (file or JWKS URI), e.g. the local stack's development issuer.
  private static JwtDecoder keyDecoder(SecurityProperties properties) throws Exception {
    NimbusJwtDecoder decoder;
    if (hasText(properties.jwkSetUri())) {
      decoder =
          NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri())
              .restOperations(restOperations())
              .jwsAlgorithm(SignatureAlgorithm.RS256)
              .jwsAlgorithm(SignatureAlgorithm.ES256)
              // RFC 9068 access tokens say typ at+jwt; the audience tells tokens apart.
              .validateType(false)
              .build();
    } else {
      decoder =
          NimbusJwtDecoder.withPublicKey(
                  readPublicKey(
                      new DefaultResourceLoader().getResource(properties.publicKeyLocation())))
              .signatureAlgorithm(SignatureAlgorithm.RS256)
              .build();
    }
    decoder.setJwtValidator(validators(properties.issuer(), properties.audience()));
    return decoder;
  }

  // Discovery (issuer-uri/.well-known/openid-configuration, whose issuer must match), then the JWK
  // set it names, fetched again whenever a token names a key id it does not hold.
  private static JwtDecoder discoveredDecoder(SecurityProperties properties) {
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withIssuerLocation(properties.issuerUri())
            .restOperations(restOperations())
            .jwsAlgorithm(SignatureAlgorithm.RS256)
            .jwsAlgorithm(SignatureAlgorithm.ES256)
            .validateType(false)
            .build();
    decoder.setJwtValidator(validators(properties.issuerUri(), properties.audience()));
    return decoder;
  }

  static OAuth2TokenValidator<Jwt> validators(String issuer, String audience) {
    return new DelegatingOAuth2TokenValidator<>(
        JwtValidators.createDefaultWithIssuer(issuer), required("exp"), audience(audience));
  }

  private static RestTemplate restOperations() {
    SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
    requests.setConnectTimeout(HTTP_TIMEOUT);
    requests.setReadTimeout(HTTP_TIMEOUT);
    return new RestTemplate(requests);
  }

  private static boolean hasText(String value) {
    return SecurityProperties.hasText(value);
  }

  // A provider's metadata, keys and revocation list answer within this, or count as unavailable.
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(2);

  // An issuer whose discovery failed is asked again at most this often.
  private static final Duration DISCOVERY_RETRY = Duration.ofSeconds(5);

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

  private static JwtAuthenticationConverter rolesFromClaim(String claim) {
    JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
    converter.setJwtGrantedAuthoritiesConverter(
        jwt -> {
          Collection<GrantedAuthority> authorities = new ArrayList<>();
          rolesOf(jwt, claim)
              .forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
          return authorities;
        });
    return converter;
  }

  /**
   * The roles in {@code claim}: a top-level claim of that name, else a dotted path into nested
   * objects ({@code realm_access.roles}); a list, or a string of space-separated roles.
   */
  static List<String> rolesOf(Jwt jwt, String claim) {
    Object value = jwt.getClaims().get(claim);
    if (value == null && claim.contains(".")) {
      value = jwt.getClaims();
      for (String segment : claim.split("\\.")) {
        value = value instanceof Map<?, ?> map ? map.get(segment) : null;
      }
    }
    if (value instanceof Collection<?> roles) {
      return roles.stream().filter(Objects::nonNull).map(Object::toString).toList();
    }
    if (value instanceof String roles && !roles.isBlank()) {
      return List.of(roles.trim().split("\\s+"));
    }
    return List.of();
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
