package io.ledgerline.identity.server;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Lets a public client (the dashboard page, which can keep no secret) use and revoke its refresh
 * token. Spring Authorization Server 1.5 authenticates a public client only on its PKCE code
 * exchange; here a refresh-token grant or a revocation that names a registered public client, with
 * no secret, authenticates it by its id alone, as RFC 6749 (6) and RFC 7009 (2.1) allow. What makes
 * that safe is the token itself: each refresh token is bound to its client, used once and replaced
 * (rotation), and revoked with its user.
 */
final class PublicClientRefresh {

  private static final String MARKER = PublicClientRefresh.class.getName();

  private PublicClientRefresh() {}

  /** Recognises a public client's refresh or revocation request; leaves others to the defaults. */
  static AuthenticationConverter converter(String tokenEndpoint, String revocationEndpoint) {
    return request -> {
      if (!"POST".equals(request.getMethod()) || hasCredentials(request)) {
        return null;
      }
      String path = request.getRequestURI().substring(request.getContextPath().length());
      boolean refresh =
          path.equals(tokenEndpoint)
              && AuthorizationGrantType.REFRESH_TOKEN
                  .getValue()
                  .equals(request.getParameter("grant_type"));
      if (!refresh && !path.equals(revocationEndpoint)) {
        return null;
      }
      String[] clientIds = request.getParameterValues("client_id");
      if (clientIds == null || clientIds.length != 1 || clientIds[0].isBlank()) {
        return null;
      }
      return new OAuth2ClientAuthenticationToken(
          clientIds[0], ClientAuthenticationMethod.NONE, null, Map.of(MARKER, true));
    };
  }

  /** Authenticates what {@link #converter} recognised, if the client is a public one. */
  static AuthenticationProvider provider(RegisteredClientRepository clients) {
    return new AuthenticationProvider() {
      @Override
      public Authentication authenticate(Authentication authentication) {
        OAuth2ClientAuthenticationToken client = (OAuth2ClientAuthenticationToken) authentication;
        if (!ClientAuthenticationMethod.NONE.equals(client.getClientAuthenticationMethod())
            || !Boolean.TRUE.equals(client.getAdditionalParameters().get(MARKER))) {
          return null;
        }
        RegisteredClient registered = clients.findByClientId((String) client.getPrincipal());
        if (registered == null
            || !registered
                .getClientAuthenticationMethods()
                .contains(ClientAuthenticationMethod.NONE)
            || !registered
                .getAuthorizationGrantTypes()
                .contains(AuthorizationGrantType.REFRESH_TOKEN)) {
          throw new OAuth2AuthenticationException(
              new OAuth2Error(
                  OAuth2ErrorCodes.INVALID_CLIENT, "Client authentication failed", null));
        }
        return new OAuth2ClientAuthenticationToken(
            registered, ClientAuthenticationMethod.NONE, null);
      }

      @Override
      public boolean supports(Class<?> authentication) {
        return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
      }
    };
  }

  private static boolean hasCredentials(HttpServletRequest request) {
    return request.getHeader(HttpHeaders.AUTHORIZATION) != null
        || request.getParameter("client_secret") != null
        || request.getParameter("client_assertion") != null;
  }
}
