package io.ledgerline.platform.web.security;

import jakarta.validation.constraints.NotBlank;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How tokens are verified: RS256 JWTs from {@code issuer} for {@code audience}, checked against a
 * JWKS URI (a real identity provider) or a PEM public key (the local stack's issuer).
 *
 * @param issuer the required {@code iss}
 * @param audience the required {@code aud}
 * @param jwkSetUri the identity provider's JWKS URI, or null
 * @param publicKeyLocation a PEM public key, or null when a JWKS URI is given
 * @param corsAllowedOrigins origins allowed to call the API from a browser; none by default
 */
@Validated
@ConfigurationProperties("ledgerline.security.jwt")
public record SecurityProperties(
    @NotBlank String issuer,
    @NotBlank String audience,
    String jwkSetUri,
    String publicKeyLocation,
    List<String> corsAllowedOrigins) {

  public SecurityProperties {
    corsAllowedOrigins = corsAllowedOrigins == null ? List.of() : corsAllowedOrigins;
  }
}
