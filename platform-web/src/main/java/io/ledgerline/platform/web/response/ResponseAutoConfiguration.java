package io.ledgerline.platform.web.response;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/** Registers the {@link HeldFlushFilter}. */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ResponseAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  HeldFlushFilter heldFlushFilter() {
    return new HeldFlushFilter();
  }
}
