package io.ledgerline.platform.web.correlation;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Registers the {@link CorrelationIdFilter}: every request and its answer carry a correlation id.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class CorrelationAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  CorrelationIdFilter correlationIdFilter() {
    return new CorrelationIdFilter();
  }
}
