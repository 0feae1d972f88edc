package io.ledgerline.platform.web.ratelimit;

import com.zaxxer.hikari.HikariDataSource;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Per-client rate limits before token verification ({@link RateLimitFilter}), in buckets every
 * instance shares through the service's PostgreSQL database ({@link RateLimitStore}). Limits come
 * from {@code ledgerline.api.rate-limit.*}; the service's {@code spring.application.name} keeps its
 * buckets apart from other services'. A {@link RateLimitListener} bean, if any, is told of every
 * refusal.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({Bucket4jPostgreSQL.class, HikariDataSource.class})
@ConditionalOnBean(DataSourceProperties.class)
@ConditionalOnProperty(
    prefix = "ledgerline.api.rate-limit",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(RateLimitProperties.class)
public class RateLimitAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  RateLimitStore rateLimitStore(DataSourceProperties dataSource) {
    return new RateLimitStore(dataSource);
  }

  @Bean
  @ConditionalOnMissingBean
  RateLimitFilter rateLimitFilter(
      RateLimitStore store,
      RateLimitProperties properties,
      Environment environment,
      ObjectProvider<RateLimitListener> listener) {
    return new RateLimitFilter(
        store,
        environment.getRequiredProperty("spring.application.name"),
        properties,
        listener.getIfUnique(() -> RateLimitListener.NONE));
  }
}
