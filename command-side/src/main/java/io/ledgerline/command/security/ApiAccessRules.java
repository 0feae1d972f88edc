package io.ledgerline.command.security;

import io.ledgerline.platform.web.security.Caller;
import io.ledgerline.platform.web.security.RoleRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Which role may call which command: customers and operators move money and top up accounts by card
 * (ownership is checked per account), only operators freeze, unfreeze and close, admins run the
 * admin API; an owner's profile is the owner's (a customer, checked per owner) or an admin's, and
 * only an admin erases it. Token checks, open health probes and problem answers come from
 * platform-web's shared security; the OpenAPI description states these roles per operation.
 */
@Configuration(proxyBeanMethods = false)
class ApiAccessRules {

  @Bean
  RoleRules commandApiRules() {
    return RoleRules.builder()
        .post(
            "/api/v1/accounts/*/freeze", "/api/v1/accounts/*/unfreeze", "/api/v1/accounts/*/close")
        .roles(Caller.OPERATOR)
        .post(
            "/api/v1/accounts",
            "/api/v1/accounts/*/deposits",
            "/api/v1/accounts/*/withdrawals",
            "/api/v1/transfers",
            "/api/v1/topups")
        .roles(Caller.CUSTOMER, Caller.OPERATOR)
        .get("/api/v1/transfers/*", "/api/v1/topups/*")
        .roles(Caller.CUSTOMER, Caller.OPERATOR, Caller.AUDITOR)
        .delete("/api/v1/owners/*/personal-data")
        .roles(Caller.ADMIN)
        .any("/api/v1/owners/*")
        .roles(Caller.CUSTOMER, Caller.ADMIN)
        .any("/api/v1/admin/**")
        .roles(Caller.ADMIN)
        .build();
  }
}
