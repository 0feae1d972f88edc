package io.ledgerline.identity.server;

import io.ledgerline.identity.IdentityProperties;
import io.ledgerline.identity.users.UserDirectory;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2AccessTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.session.HttpSessionEventPublisher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Spring Authorization Server with OpenID Connect: discovery, the JWK set, authorization code with
 * PKCE, client credentials, rotating refresh tokens, user info and RP-initiated logout. Three
 * filter chains: the protocol endpoints; the admin API ({@code /admin/**}, the provider's own
 * tokens with the admin role, stateless); and the sign-in form with its session, which is the
 * provider's only state in a browser.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

  @Bean
  @Order(1)
  SecurityFilterChain authorizationServerEndpoints(
      HttpSecurity http,
      RegisteredClientRepository clients,
      OAuth2AuthorizationService authorizations,
      OAuth2TokenGenerator<OAuth2Token> tokens,
      AuthorizationServerSettings settings,
      IdentityProperties properties)
      throws Exception {
    OAuth2AuthorizationServerConfigurer server =
        OAuth2AuthorizationServerConfigurer.authorizationServer();
    http.securityMatcher(server.getEndpointsMatcher())
        .with(
            server,
            as ->
                as.registeredClientRepository(clients)
                    .authorizationService(authorizations)
                    .tokenGenerator(tokens)
                    .clientAuthentication(
                        client ->
                            client
                                .authenticationConverter(
                                    PublicClientRefresh.converter(
                                        settings.getTokenEndpoint(),
                                        settings.getTokenRevocationEndpoint()))
                                .authenticationProvider(PublicClientRefresh.provider(clients)))
                    .oidc(Customizer.withDefaults()))
        .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
        // The user info endpoint takes the provider's own access tokens.
        .oauth2ResourceServer(resource -> resource.jwt(Customizer.withDefaults()))
        // The dashboard page discovers, exchanges, refreshes and revokes tokens from its origin.
        .cors(cors -> cors.configurationSource(dashboardCors(properties, settings)))
        .exceptionHandling(
            exceptions ->
                exceptions.defaultAuthenticationEntryPointFor(
                    new LoginUrlAuthenticationEntryPoint("/login"),
                    new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
    return http.build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain adminApi(HttpSecurity http) throws Exception {
    http.securityMatcher("/admin/**")
        .authorizeHttpRequests(authorize -> authorize.anyRequest().hasRole("admin"))
        .oauth2ResourceServer(
            resource -> resource.jwt(jwt -> jwt.jwtAuthenticationConverter(roles())))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(csrf -> csrf.disable()); // Bearer tokens only.
    return http.build();
  }

  @Bean
  @Order(3)
  SecurityFilterChain signIn(HttpSecurity http, SessionRegistry sessions) throws Exception {
    http.authorizeHttpRequests(
            authorize ->
                authorize
                    .requestMatchers(
                        "/revocations", "/actuator/health", "/actuator/health/**", "/error")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .formLogin(Customizer.withDefaults())
        // Registered sessions can be ended when their user is disabled (UserAdminController).
        .sessionManagement(
            s -> s.maximumSessions(-1).sessionRegistry(sessions).expiredUrl("/login?expired"));
    return http.build();
  }

  @Bean
  SessionRegistry sessionRegistry() {
    return new SessionRegistryImpl();
  }

  @Bean
  HttpSessionEventPublisher sessionEvents() {
    return new HttpSessionEventPublisher();
  }

  /** {@code {bcrypt}}, {@code {noop}} and the other prefixes, for passwords and client secrets. */
  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  @Bean
  AuthorizationServerSettings authorizationServerSettings(IdentityProperties properties) {
    return AuthorizationServerSettings.builder().issuer(properties.issuer()).build();
  }

  @Bean
  TrackedAuthorizationService authorizationService() {
    return new TrackedAuthorizationService(Clock.systemUTC());
  }

  @Bean
  OAuth2TokenGenerator<OAuth2Token> tokenGenerator(
      JwtEncoder encoder, UserDirectory users, IdentityProperties properties) {
    JwtGenerator jwt = new JwtGenerator(encoder);
    jwt.setJwtCustomizer(new TokenClaims(users, properties.audience()));
    return new DelegatingOAuth2TokenGenerator(
        jwt, new OAuth2AccessTokenGenerator(), new RotatingRefreshTokens());
  }

  @Bean
  RegisteredClientRepository registeredClients(IdentityProperties properties) {
    List<RegisteredClient> clients = new ArrayList<>();
    String dashboard = properties.dashboardUrl();
    clients.add(
        RegisteredClient.withId(IdentityProperties.DASHBOARD_CLIENT)
            .clientId(IdentityProperties.DASHBOARD_CLIENT)
            .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
            .redirectUri(dashboard + "/")
            .redirectUri(dashboard + IdentityProperties.DASHBOARD_CALLBACK)
            .postLogoutRedirectUri(dashboard + "/")
            .scope(OidcScopes.OPENID)
            .scope(OidcScopes.PROFILE)
            .clientSettings(
                ClientSettings.builder()
                    .requireProofKey(true)
                    // A first-party page: no consent screen.
                    .requireAuthorizationConsent(false)
                    .build())
            .tokenSettings(
                TokenSettings.builder()
                    .accessTokenTimeToLive(properties.accessTokenTtl())
                    .refreshTokenTimeToLive(properties.refreshTokenTtl())
                    .reuseRefreshTokens(false)
                    .build())
            .build());
    for (IdentityProperties.MachineClient machine : properties.machineClients()) {
      clients.add(
          RegisteredClient.withId(machine.clientId())
              .clientId(machine.clientId())
              .clientSecret(machine.secret())
              .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
              .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
              .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
              .clientSettings(
                  ClientSettings.builder()
                      .setting(TokenClaims.CLIENT_ROLES, List.copyOf(machine.roles()))
                      .build())
              .tokenSettings(
                  TokenSettings.builder()
                      .accessTokenTimeToLive(properties.accessTokenTtl())
                      .build())
              .build());
    }
    return new InMemoryRegisteredClientRepository(clients);
  }

  /** The seeded users and their passwords are for a developer's machine and the tests only. */
  @Bean
  InitializingBean localUseOnly(Environment environment) {
    return () -> {
      if (environment.acceptsProfiles(Profiles.of("production"))) {
        throw new IllegalStateException(
            "the identity provider serves the local stack and tests only; in production trust a"
                + " real OpenID Connect provider (README, Signing in)");
      }
    };
  }

  /**
   * CORS for the dashboard page's origin only (the origin of its registered redirect URIs), on the
   * endpoints its script calls: discovery and the JWK set (GET), token and revocation (POST, form
   * encoded, without cookies: simple requests, which need no preflight). The authorization and
   * logout endpoints are navigated to, not called.
   */
  static UrlBasedCorsConfigurationSource dashboardCors(
      IdentityProperties properties, AuthorizationServerSettings settings) {
    URI dashboard = URI.create(properties.dashboardUrl());
    String origin = dashboard.getScheme() + "://" + dashboard.getRawAuthority();
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    CorsConfiguration read = new CorsConfiguration();
    read.setAllowedOrigins(List.of(origin));
    read.setAllowedMethods(List.of("GET"));
    source.registerCorsConfiguration("/.well-known/openid-configuration", read);
    source.registerCorsConfiguration(settings.getJwkSetEndpoint(), read);
    CorsConfiguration post = new CorsConfiguration();
    post.setAllowedOrigins(List.of(origin));
    post.setAllowedMethods(List.of("POST"));
    post.setAllowedHeaders(List.of("Content-Type"));
    source.registerCorsConfiguration(settings.getTokenEndpoint(), post);
    source.registerCorsConfiguration(settings.getTokenRevocationEndpoint(), post);
    return source;
  }

  private static JwtAuthenticationConverter roles() {
    JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
    converter.setJwtGrantedAuthoritiesConverter(
        jwt -> {
          Collection<GrantedAuthority> authorities = new ArrayList<>();
          List<String> roles = jwt.getClaimAsStringList(TokenClaims.ROLES);
          if (roles != null) {
            roles.forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
          }
          return authorities;
        });
    return converter;
  }
}
