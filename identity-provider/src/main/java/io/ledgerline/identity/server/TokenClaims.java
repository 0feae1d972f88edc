package io.ledgerline.identity.server;

import io.ledgerline.identity.users.UserDirectory;
import java.util.List;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * What the services read from a token: {@code aud} is the services' audience and {@code roles} the
 * user's roles (a machine client's own, for client credentials), the claim platform-web maps to
 * authorities. Read from the directory at each issue, so a disabled user gets no token by any
 * grant, refresh included, and a refreshed token carries the roles as configured now.
 */
final class TokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

  /** The claim the services take roles from (platform-web's default). */
  static final String ROLES = "roles";

  /** The client setting that holds a machine client's roles. */
  static final String CLIENT_ROLES = "ledgerline.roles";

  private final UserDirectory users;
  private final String audience;

  TokenClaims(UserDirectory users, String audience) {
    this.users = users;
    this.audience = audience;
  }

  @Override
  public void customize(JwtEncodingContext context) {
    boolean accessToken = OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType());
    boolean idToken = OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue());
    if (!accessToken && !idToken) {
      return;
    }
    List<String> roles;
    if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
      roles = clientRoles(context.getRegisteredClient());
    } else {
      String username = context.getPrincipal().getName();
      if (!users.isActive(username)) {
        throw new OAuth2AuthenticationException(
            new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT, "the user is disabled", null));
      }
      roles = users.roles(username);
    }
    context.getClaims().claim(ROLES, roles);
    if (accessToken) {
      context.getClaims().audience(List.of(audience));
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> clientRoles(RegisteredClient client) {
    Object roles = client.getClientSettings().getSetting(CLIENT_ROLES);
    return roles instanceof List<?> list ? (List<String>) list : List.of();
  }
}
