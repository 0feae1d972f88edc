package io.ledgerline.platform.web.metrics;

import io.ledgerline.platform.web.ratelimit.RateLimitListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Counts the rate limiter's refusals ({@link RateLimitMeter}) wherever the service has a meter
 * registry (the actuator's); backs off from a service's own {@link RateLimitListener}.
 */
// After the registries: the condition on a MeterRegistry bean must see them.
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"
    })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public class RateLimitMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  RateLimitListener rateLimitMeter(MeterRegistry meters) {
    return new RateLimitMeter(meters);
  }
}
