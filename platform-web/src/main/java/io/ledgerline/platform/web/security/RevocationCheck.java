package io.ledgerline.platform.web.security;

import java.util.List;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Checks every decoded token against the {@link RevocationList}, including tokens the {@link
 * VerifiedTokenCache} answers from memory: a revoked token is a bad token (401), one whose list is
 * too old cannot be checked now (503).
 */
public final class RevocationCheck implements JwtDecoder {

  private final JwtDecoder delegate;
  private final RevocationList revocations;

  public RevocationCheck(JwtDecoder delegate, RevocationList revocations) {
    this.delegate = delegate;
    this.revocations = revocations;
  }

  @Override
  public Jwt decode(String token) throws JwtException {
    Jwt jwt = delegate.decode(token);
    revocations.requireCurrent(jwt);
    OAuth2TokenValidatorResult result = revocations.validate(jwt);
    if (result.hasErrors()) {
      throw new JwtValidationException(
          result.getErrors().iterator().next().getDescription(), List.copyOf(result.getErrors()));
    }
    return jwt;
  }
}
