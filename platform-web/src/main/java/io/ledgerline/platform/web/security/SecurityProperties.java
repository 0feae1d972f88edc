package io.ledgerline.platform.web.security;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How tokens are verified: RS256 (or ES256) JWTs for {@code audience} from the trusted issuers,
 * chosen by the token's {@code iss}. Two may be trusted at once: {@code issuer} with its keys from
 * a JWKS URI or a PEM public key (the local stack's development issuer), and an OpenID Connect
 * provider named by {@code issuerUri}, whose keys are found through its discovery document (the
 * local stack's identity provider, or Keycloak, Auth0, Entra ID). A token of any other issuer is
 * refused.
 *
 * @param issuer the {@code iss} of tokens checked against {@code jwkSetUri} or {@code
 *     publicKeyLocation}; trusted only when one of those is set
 * @param audience the required {@code aud}
 * @param jwkSetUri a JWKS URI for {@code issuer}, or null
 * @param publicKeyLocation a PEM public key for {@code issuer}, or null
 * @param corsAllowedOrigins origins allowed to call the API from a browser; none by default
 * @param issuerUri an OpenID Connect issuer whose tokens are trusted too, or null: its metadata
 *     ({@code /.well-known/openid-configuration}) is read at its first token, not at start-up, and
 *     its JWK set again whenever a token names a key it does not hold, so its keys may rotate
 * @param rolesClaim the claim holding the roles, a list (or space-separated string): a top-level
 *     claim name, else a dotted path into nested claims, e.g. {@code realm_access.roles} for
 *     Keycloak; {@code roles} by default
 * @param revocationUri the revocation list of {@code issuerUri} (or of {@code issuer} when no
 *     {@code issuerUri} is set), polled every {@code revocationPollInterval}; none by default
 * @param revocationPollInterval how often the revocation list is read; 5 s by default
 * @param revocationMaxAge how old the last list read may be before that issuer's tokens are refused
 *     (503) until it is read again; 15 s by default
 */
@Validated
@ConfigurationProperties("ledgerline.security.jwt")
public record SecurityProperties(
    @NotBlank String issuer,
    @NotBlank String audience,
    String jwkSetUri,
    String publicKeyLocation,
    List<String> corsAllowedOrigins,
    String issuerUri,
    String rolesClaim,
    String revocationUri,
    Duration revocationPollInterval,
    Duration revocationMaxAge) {

  public SecurityProperties {
    corsAllowedOrigins = corsAllowedOrigins == null ? List.of() : corsAllowedOrigins;
    rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "roles" : rolesClaim;
    revocationPollInterval =
        revocationPollInterval == null ? Duration.ofSeconds(5) : revocationPollInterval;
    revocationMaxAge = revocationMaxAge == null ? Duration.ofSeconds(15) : revocationMaxAge;
  }

  /** The issuer whose tokens the revocation list covers: {@code issuerUri}, else {@code issuer}. */
  public String revocationIssuer() {
    return hasText(issuerUri) ? issuerUri : issuer;
  }

  static boolean hasText(String value) {
    return value != null && !value.isBlank();
  }
}
