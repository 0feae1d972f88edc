package io.ledgerline.platform.web.limits;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Registers the {@link RequestBodyLimitFilter} with {@code ledgerline.api.max-body-size}. */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(RequestLimitsProperties.class)
public class RequestLimitsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  RequestBodyLimitFilter requestBodyLimitFilter(RequestLimitsProperties properties) {
    return new RequestBodyLimitFilter(properties.maxBodySize());
  }
}
