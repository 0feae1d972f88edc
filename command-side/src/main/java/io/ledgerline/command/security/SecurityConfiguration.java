package io.ledgerline.command.security;

import io.ledgerline.command.api.Problems;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
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
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Every API call needs a valid RS256 JWT (signature, issuer, audience, expiry, not-before); roles
 * come from its {@code roles} claim. Only health probes and the OpenAPI description are open.
 * Failures are problem+json: 401 for a missing or bad token, 403 for a role that may not act.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  /** The local stack's development issuer; refused in the production profile. */
  static final String DEVELOPMENT_ISSUER = "ledgerline-local";

  @Bean
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    http.csrf(csrf -> csrf.disable()) // Bearer tokens only: no cookies for CSRF to abuse.
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .cors(
            org.springframework.security.config.Customizer
                .withDefaults()) // the corsConfigurationSource bean
        .headers(
            headers ->
                headers
                    .contentSecurityPolicy(
                        csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
                    .referrerPolicy(
                        r ->
                            r.policy(
                                org.springframework.security.web.header.writers
                                    .ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
        .authorizeHttpRequests(
            authorize ->
                authorize
                    .requestMatchers(
                        "/actuator/health",
                        "/actuator/health/**",
                        "/actuator/info",
                        "/v3/api-docs",
                        "/v3/api-docs/**")
                    .permitAll()
                    .requestMatchers("/actuator/**")
                    .hasAnyRole(Caller.OPERATOR, Caller.ADMIN)
                    .requestMatchers(
                        HttpMethod.POST,
                        "/api/v1/accounts/*/freeze",
                        "/api/v1/accounts/*/unfreeze",
                        "/api/v1/accounts/*/close")
                    .hasRole(Caller.OPERATOR)
                    .requestMatchers(
                        HttpMethod.POST,
                        "/api/v1/accounts",
                        "/api/v1/accounts/*/deposits",
                        "/api/v1/accounts/*/withdrawals",
                        "/api/v1/transfers")
                    .hasAnyRole(Caller.CUSTOMER, Caller.OPERATOR)
                    .requestMatchers(HttpMethod.GET, "/api/v1/transfers/*")
                    .hasAnyRole(Caller.CUSTOMER, Caller.OPERATOR, Caller.AUDITOR)
                    .requestMatchers("/api/v1/admin/**")
                    .hasRole(Caller.ADMIN)
                    .anyRequest()
                    .authenticated())
        .oauth2ResourceServer(
            oauth ->
                oauth
                    .jwt(jwt -> jwt.jwtAuthenticationConverter(rolesFromClaim()))
                    .authenticationEntryPoint(
                        (request, response, e) ->
                            problem(
                                response,
                                HttpStatus.UNAUTHORIZED,
                                "unauthorized",
                                "Unauthorized",
                                "a valid bearer token is required"))
                    .accessDeniedHandler(
                        (request, response, e) ->
                            problem(
                                response,
                                HttpStatus.FORBIDDEN,
                                "forbidden",
                                "Forbidden",
                                "your role may not do this")))
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(
                        (request, response, ex) ->
                            problem(
                                response,
                                HttpStatus.UNAUTHORIZED,
                                "unauthorized",
                                "Unauthorized",
                                "a valid bearer token is required"))
                    .accessDeniedHandler(
                        (request, response, ex) ->
                            problem(
                                response,
                                HttpStatus.FORBIDDEN,
                                "forbidden",
                                "Forbidden",
                                "your role may not do this")));
    return http.build();
  }

  @Bean
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
                      new org.springframework.core.io.DefaultResourceLoader()
                          .getResource(properties.publicKeyLocation())))
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
    return decoder;
  }

  @Bean
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

  private static RSAPublicKey readPublicKey(org.springframework.core.io.Resource location)
      throws Exception {
    try (InputStream in = location.getInputStream()) {
      String pem = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
      byte[] der =
          Base64.getMimeDecoder()
              .decode(
                  pem.replace("-----BEGIN PUBLIC KEY-----", "")
                      .replace("-----END PUBLIC KEY-----", ""));
      return (RSAPublicKey)
          KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    }
  }

  static void problem(
      HttpServletResponse response, HttpStatus status, String kind, String title, String detail)
      throws IOException {
    if (status == HttpStatus.UNAUTHORIZED) {
      response.setHeader("WWW-Authenticate", "Bearer");
    }
    Problems.write(response, status.value(), kind, title, detail);
  }
}
