package io.ledgerline.identity.server;

import java.time.Instant;
import java.util.Base64;
import org.springframework.lang.Nullable;
import org.springframework.security.crypto.keygen.Base64StringKeyGenerator;
import org.springframework.security.crypto.keygen.StringKeyGenerator;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Refresh tokens for every client registered for the refresh-token grant, the public dashboard
 * included (Spring Authorization Server's own generator gives public clients none). Opaque, 96
 * random bytes; with {@code reuseRefreshTokens(false)} each use replaces it, so a stolen one works
 * at most until its owner next refreshes.
 */
final class RotatingRefreshTokens implements OAuth2TokenGenerator<OAuth2RefreshToken> {

  private final StringKeyGenerator values =
      new Base64StringKeyGenerator(Base64.getUrlEncoder().withoutPadding(), 96);

  @Nullable
  @Override
  public OAuth2RefreshToken generate(OAuth2TokenContext context) {
    if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType())
        || !context
            .getRegisteredClient()
            .getAuthorizationGrantTypes()
            .contains(AuthorizationGrantType.REFRESH_TOKEN)) {
      return null;
    }
    Instant issuedAt = Instant.now();
    return new OAuth2RefreshToken(
        values.generateKey(),
        issuedAt,
        issuedAt.plus(
            context.getRegisteredClient().getTokenSettings().getRefreshTokenTimeToLive()));
  }
}
