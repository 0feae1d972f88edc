package io.ledgerline.query.account;

import io.ledgerline.query.projection.ReadModelIndex;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers the accounts index so it is created before the projector starts. */
@Configuration(proxyBeanMethods = false)
class AccountIndexConfiguration {

  @Bean
  ReadModelIndex accountsIndex() {
    return AccountProjector.INDEX;
  }
}
