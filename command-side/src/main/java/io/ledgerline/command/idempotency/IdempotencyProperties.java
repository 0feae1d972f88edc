package io.ledgerline.command.idempotency;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How long an idempotency key is remembered, and how often expired keys are removed.
 *
 * @param retention a retry with the same key within this time gets the first outcome
 * @param cleanupInterval how often expired keys are deleted
 */
@Validated
@ConfigurationProperties("ledgerline.idempotency")
record IdempotencyProperties(@NotNull Duration retention, @NotNull Duration cleanupInterval) {

  IdempotencyProperties {
    retention = retention == null ? Duration.ofHours(24) : retention;
    cleanupInterval = cleanupInterval == null ? Duration.ofMinutes(5) : cleanupInterval;
  }
}
