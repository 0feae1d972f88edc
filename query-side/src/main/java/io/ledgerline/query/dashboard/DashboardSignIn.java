package io.ledgerline.query.dashboard;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the dashboard page signs people in with an OpenID Connect provider: authorization code with
 * PKCE, as a public client (README, Dashboard). Without an issuer the page offers only the pasting
 * of a token.
 *
 * @param issuer the provider's issuer identifier, exactly as its tokens' {@code iss} has it; its
 *     discovery document is at {@code <issuer>/.well-known/openid-configuration}. By default the
 *     services' trusted {@code ledgerline.security.jwt.issuer-uri}; empty for none
 * @param clientId the page's client id at that provider, {@code ledgerline-dashboard} by default
 * @param scope what the page asks for, {@code openid profile} by default
 */
@ConfigurationProperties("ledgerline.dashboard.sign-in")
public record DashboardSignIn(String issuer, String clientId, String scope) {

  public DashboardSignIn {
    issuer = issuer == null || issuer.isBlank() ? null : issuer.trim();
    clientId = clientId == null || clientId.isBlank() ? "ledgerline-dashboard" : clientId.trim();
    scope = scope == null || scope.isBlank() ? "openid profile" : scope.trim();
  }

  /** Whether the page signs in with the provider (else it takes pasted tokens only). */
  public boolean enabled() {
    return issuer != null;
  }
}
