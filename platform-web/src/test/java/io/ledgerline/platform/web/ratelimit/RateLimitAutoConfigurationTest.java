package io.ledgerline.platform.web.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** The limiter's wiring; its pool is never opened here (the address leads nowhere). */
class RateLimitAutoConfigurationTest {

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  DataSourceAutoConfiguration.class, RateLimitAutoConfiguration.class))
          .withPropertyValues(
              "spring.application.name=test-service",
              "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/nowhere");

  @Test
  void limitsEveryServiceWithADatabaseBeforeSpringSecurity() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(RateLimitStore.class);
          assertThat(context).hasSingleBean(RateLimitFilter.class);
          assertThat(context.getBean(RateLimitFilter.class).getOrder())
              .isEqualTo(SecurityProperties.DEFAULT_FILTER_ORDER - 1);
          assertThat(context.getBean(RateLimitProperties.class))
              .isEqualTo(new RateLimitProperties(true, 500, 1000, 2000, 4000, 20_000));
        });
  }

  @Test
  void theLimitsAreBoundFromProperties() {
    runner
        .withPropertyValues(
            "ledgerline.api.rate-limit.per-second=2",
            "ledgerline.api.rate-limit.burst=5",
            "ledgerline.api.rate-limit.per-address-per-second=20",
            "ledgerline.api.rate-limit.per-address-burst=40",
            "ledgerline.api.rate-limit.max-clients=100")
        .run(
            context ->
                assertThat(context.getBean(RateLimitProperties.class))
                    .isEqualTo(new RateLimitProperties(true, 2, 5, 20, 40, 100)));
  }

  @Test
  void aLimitBelowOneIsRefusedAtStartUp() {
    runner
        .withPropertyValues("ledgerline.api.rate-limit.burst=0")
        .run(context -> assertThat(context).hasFailed());
  }

  @Test
  void isOffWhenDisabledOrWithoutADatabase() {
    runner
        .withPropertyValues("ledgerline.api.rate-limit.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(RateLimitFilter.class));
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(RateLimitAutoConfiguration.class))
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(RateLimitStore.class);
              assertThat(context).doesNotHaveBean(RateLimitFilter.class);
            });
  }

  @Test
  void backsOffFromTheServicesOwnFilter() {
    RateLimitFilter own =
        new RateLimitFilter(
            new RateLimitFilterTest.InMemoryStore(), "own", 1, 1, 1, 1, 10, RateLimitListener.NONE);
    runner
        .withBean(RateLimitFilter.class, () -> own)
        .run(context -> assertThat(context.getBean(RateLimitFilter.class)).isSameAs(own));
  }
}
