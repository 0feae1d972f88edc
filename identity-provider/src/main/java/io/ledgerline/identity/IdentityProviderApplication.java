package io.ledgerline.identity;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The local stack's OpenID Connect provider: Spring Authorization Server with the users, roles and
 * clients of {@link IdentityProperties}, signing keys that rotate without a restart, and the
 * revocation list the services poll. For local use and tests only; a deployment trusts a real
 * provider (README, Signing in).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IdentityProviderApplication {

  public static void main(String[] args) {
    SpringApplication.run(IdentityProviderApplication.class, args);
  }
}
