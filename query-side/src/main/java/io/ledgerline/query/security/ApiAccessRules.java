package io.ledgerline.query.security;

import io.ledgerline.platform.web.security.ApiAuthorizationRules;
import io.ledgerline.platform.web.security.Caller;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Which role may call which query: admins the admin API, auditors the audit API, staff the
 * dashboards and the live feed, and customers, operators and auditors the account and transfer
 * reads (a customer only its own, checked per account). Token checks, open health probes and
 * problem answers come from platform-web's shared security.
 */
@Configuration(proxyBeanMethods = false)
class ApiAccessRules {

  @Bean
  ApiAuthorizationRules queryApiRules() {
    return rules ->
        rules
            .requestMatchers("/api/v1/admin/**")
            .hasRole(Caller.ADMIN)
            .requestMatchers("/api/v1/audit/**")
            .hasRole(Caller.AUDITOR)
            .requestMatchers("/api/v1/projections")
            .hasAnyRole(Caller.OPERATOR, Caller.ADMIN, Caller.AUDITOR)
            .requestMatchers("/api/v1/dashboard/**", "/api/v1/feed")
            .hasAnyRole(Caller.OPERATOR, Caller.AUDITOR)
            .requestMatchers(
                HttpMethod.GET,
                "/api/v1/accounts",
                "/api/v1/accounts/**",
                "/api/v1/transfers",
                "/api/v1/transfers/**")
            .hasAnyRole(Caller.CUSTOMER, Caller.OPERATOR, Caller.AUDITOR);
  }
}
