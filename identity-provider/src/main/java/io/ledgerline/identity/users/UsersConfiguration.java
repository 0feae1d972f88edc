package io.ledgerline.identity.users;

import io.ledgerline.identity.IdentityProperties;
import io.ledgerline.identity.StateFile;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class UsersConfiguration {

  // A token is accepted up to a minute past its expiry (the verifiers' skew), and a minute more.
  private static final Duration MARGIN = Duration.ofMinutes(2);

  @Bean
  UserDirectory userDirectory(IdentityProperties properties) {
    return new UserDirectory(
        properties.users(),
        Clock.systemUTC(),
        properties.accessTokenTtl().plus(MARGIN),
        StateFile.in(properties.stateDir(), "users.json"));
  }
}
