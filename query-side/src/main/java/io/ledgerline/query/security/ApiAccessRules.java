package io.ledgerline.query.security;

import io.ledgerline.platform.web.security.Caller;
import io.ledgerline.platform.web.security.RoleRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Which role may call which query: admins the admin API, auditors the audit API, staff the
 * dashboards and the live feed, and customers, operators and auditors the account, transfer and
 * top-up reads (a customer only its own, checked per account). Token checks, open health probes and
 * problem answers come from platform-web's shared security; the OpenAPI description states these
 * roles per operation. The dashboard's static files are open (DashboardPagesConfiguration); what
 * they show needs a token.
 */
@Configuration(proxyBeanMethods = false)
class ApiAccessRules {

  @Bean
  RoleRules queryApiRules() {
    return RoleRules.builder()
        .any("/api/v1/admin/**")
        .roles(Caller.ADMIN)
        .any("/api/v1/audit/**")
        .roles(Caller.AUDITOR)
        .any("/api/v1/projections")
        .roles(Caller.OPERATOR, Caller.ADMIN, Caller.AUDITOR)
        .any("/api/v1/dashboard/**", "/api/v1/feed")
        .roles(Caller.OPERATOR, Caller.AUDITOR)
        .get(
            "/api/v1/accounts",
            "/api/v1/accounts/**",
            "/api/v1/transfers",
            "/api/v1/transfers/**",
            "/api/v1/topups",
            "/api/v1/topups/**")
        .roles(Caller.CUSTOMER, Caller.OPERATOR, Caller.AUDITOR)
        .build();
  }
}
