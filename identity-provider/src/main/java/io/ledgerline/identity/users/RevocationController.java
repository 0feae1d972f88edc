package io.ledgerline.identity.users;

import io.ledgerline.identity.IdentityProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /revocations}: the subjects whose tokens issued up to a time are revoked, for services
 * to poll (platform-web's {@code RevocationList}) and check every request against in memory, with
 * no introspection call. Open, like the JWK set: it names users, never a token.
 */
@RestController
class RevocationController {

  private final UserDirectory users;
  private final IdentityProperties properties;
  private final Clock clock = Clock.systemUTC();

  RevocationController(UserDirectory users, IdentityProperties properties) {
    this.users = users;
    this.properties = properties;
  }

  @GetMapping("/revocations")
  ResponseEntity<Map<String, Object>> revocations() {
    List<Map<String, String>> revoked =
        users.revocations().entrySet().stream()
            .map(e -> Map.of("subject", e.getKey(), "revokedAt", e.getValue().toString()))
            .toList();
    // A second at most in any cache: the services' bound counts on a fresh answer.
    return ResponseEntity.ok()
        .cacheControl(CacheControl.maxAge(Duration.ofSeconds(1)).cachePublic())
        .body(
            Map.of(
                "issuer",
                properties.issuer(),
                "generatedAt",
                clock.instant().toString(),
                "revoked",
                revoked));
  }
}
