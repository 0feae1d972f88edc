package io.ledgerline.platform.web.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.platform.web.ratelimit.RateLimitListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class RateLimitMetricsAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  MetricsAutoConfiguration.class,
                  SimpleMetricsExportAutoConfiguration.class,
                  CompositeMeterRegistryAutoConfiguration.class,
                  RateLimitMetricsAutoConfiguration.class));

  @Test
  void countsEachRefusalByTheLimitItHitFromZero() {
    runner.run(
        context -> {
          MeterRegistry meters = context.getBean(MeterRegistry.class);
          assertThat(refused(meters, "address")).isZero();
          assertThat(refused(meters, "subject")).isZero();

          RateLimitListener listener = context.getBean(RateLimitListener.class);
          listener.refused(RateLimitListener.Limit.ADDRESS);
          listener.refused(RateLimitListener.Limit.ADDRESS);
          listener.refused(RateLimitListener.Limit.SUBJECT);

          assertThat(refused(meters, "address")).isEqualTo(2);
          assertThat(refused(meters, "subject")).isEqualTo(1);
        });
  }

  @Test
  void isOffWithoutARegistry() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(RateLimitMetricsAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(RateLimitListener.class));
  }

  @Test
  void backsOffFromTheServicesOwnListener() {
    RateLimitListener own = limit -> {};
    runner
        .withBean(RateLimitListener.class, () -> own)
        .run(context -> assertThat(context.getBean(RateLimitListener.class)).isSameAs(own));
  }

  private static double refused(MeterRegistry meters, String limit) {
    return meters.get(RateLimitMeter.NAME).tag("limit", limit).counter().count();
  }
}
