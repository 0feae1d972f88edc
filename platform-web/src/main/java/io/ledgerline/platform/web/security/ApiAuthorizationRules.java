package io.ledgerline.platform.web.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * A service's own access rules: which roles may call which of its API paths. The shared filter
 * chain applies them after its own rules (health probes, the Prometheus scrape and the OpenAPI
 * description open, the other actuator endpoints for admins) and before its last one: every other
 * request needs a valid token. Declare one bean per service; several apply in their order.
 */
@FunctionalInterface
public interface ApiAuthorizationRules {

  void configure(
      AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry
          rules);
}
