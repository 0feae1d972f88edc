package io.ledgerline.identity;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * What the provider issues and to whom.
 *
 * @param issuer its issuer identifier ({@code iss}), the URL it is reached at, e.g. {@code
 *     http://127.0.0.1:9000}; OpenID Connect discovery lives under it
 * @param audience the {@code aud} of every access token: the services require it
 * @param accessTokenTtl how long an access token is valid; with the services' revocation check it
 *     bounds nothing, without one it is how long a revoked user's token still works
 * @param refreshTokenTtl how long a refresh token is valid (each use replaces it)
 * @param stateDir where signing keys, disabled users and revocations are kept across restarts; in
 *     memory only when unset
 * @param keyRotationInterval a new signing key after this long; only on demand ({@code POST
 *     /admin/keys/rotate}) when unset
 * @param dashboardUrl the query side's dashboard, the public client's home: its redirect URIs are
 *     {@code <dashboardUrl>/} and {@code <dashboardUrl>/auth/callback}
 * @param users the users who may sign in, with their roles
 * @param machineClients confidential clients that get tokens of their own (client credentials)
 */
@Validated
@ConfigurationProperties("ledgerline.identity")
public record IdentityProperties(
    @NotBlank String issuer,
    @NotBlank String audience,
    @NotNull Duration accessTokenTtl,
    @NotNull Duration refreshTokenTtl,
    Path stateDir,
    Duration keyRotationInterval,
    @NotBlank String dashboardUrl,
    @NotEmpty @Valid List<User> users,
    @Valid List<MachineClient> machineClients) {

  /** The public client of the dashboard page. */
  public static final String DASHBOARD_CLIENT = "ledgerline-dashboard";

  /** The dashboard page's callback path, where the authorization code arrives. */
  public static final String DASHBOARD_CALLBACK = "/auth/callback";

  public IdentityProperties {
    machineClients = machineClients == null ? List.of() : List.copyOf(machineClients);
    users = users == null ? List.of() : List.copyOf(users);
    if (dashboardUrl != null && dashboardUrl.endsWith("/")) {
      dashboardUrl = dashboardUrl.substring(0, dashboardUrl.length() - 1);
    }
  }

  /**
   * A user.
   *
   * @param username the token's subject
   * @param password encoded with its algorithm's prefix: {@code {bcrypt}...} (or {@code {noop}...},
   *     for local use only)
   * @param roles customer, operator, auditor, admin
   */
  public record User(
      @NotBlank String username, @NotBlank String password, @NotEmpty List<String> roles) {}

  /**
   * A confidential client of its own: its tokens' subject is its id.
   *
   * @param clientId the client id, and the subject of its tokens
   * @param secret its secret, encoded like a user's password
   * @param roles the roles its tokens carry
   */
  public record MachineClient(
      @NotBlank String clientId, @NotBlank String secret, @NotEmpty List<String> roles) {}
}
