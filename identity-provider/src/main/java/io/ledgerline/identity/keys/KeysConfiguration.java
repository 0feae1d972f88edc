package io.ledgerline.identity.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.ledgerline.identity.IdentityProperties;
import io.ledgerline.identity.StateFile;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * The keys, the JWK set Spring Authorization Server publishes ({@code /oauth2/jwks}: every
 * published key), the encoder it signs with (the current key only) and the decoder its own admin
 * API checks tokens with.
 */
@Configuration(proxyBeanMethods = false)
class KeysConfiguration {

  private static final Logger log = LoggerFactory.getLogger(KeysConfiguration.class);

  // Spring Authorization Server's ID tokens live 30 minutes, longer than any access token here.
  private static final Duration ID_TOKEN_TTL = Duration.ofMinutes(30);

  // A verifier accepts a token up to a minute past its expiry (Spring Security's default skew).
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  @Bean
  SigningKeys signingKeys(IdentityProperties properties) {
    Duration longest =
        properties.accessTokenTtl().compareTo(ID_TOKEN_TTL) > 0
            ? properties.accessTokenTtl()
            : ID_TOKEN_TTL;
    return new SigningKeys(
        Clock.systemUTC(),
        longest.plus(CLOCK_SKEW),
        StateFile.in(properties.stateDir(), "signing-keys.json"));
  }

  @Bean
  JWKSource<SecurityContext> jwkSource(SigningKeys keys) {
    return keys.publishedSource();
  }

  @Bean
  JwtEncoder jwtEncoder(SigningKeys keys) {
    return new NimbusJwtEncoder(keys.signingSource());
  }

  @Bean
  JwtDecoder jwtDecoder(SigningKeys keys, IdentityProperties properties) {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys.publishedSource()));
    // Spring Security checks the claims (the validator below), not Nimbus.
    processor.setJWTClaimsSetVerifier((claims, context) -> {});
    NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
    decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(properties.issuer()));
    return decoder;
  }

  /** Rotates on a schedule when {@code ledgerline.identity.key-rotation-interval} is set. */
  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService keyRotationSchedule(SigningKeys keys, IdentityProperties properties) {
    ScheduledExecutorService schedule =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "key-rotation");
              thread.setDaemon(true);
              return thread;
            });
    Duration interval = properties.keyRotationInterval();
    if (interval != null && !interval.isZero() && !interval.isNegative()) {
      schedule.scheduleWithFixedDelay(
          () -> {
            try {
              if (keys.rotateIfOlderThan(interval)) {
                log.info("Rotated the signing key; now {}", keys.current().getKeyID());
              }
            } catch (RuntimeException e) {
              log.warn("Key rotation failed", e);
            }
          },
          1,
          60,
          TimeUnit.SECONDS);
    }
    return schedule;
  }
}
