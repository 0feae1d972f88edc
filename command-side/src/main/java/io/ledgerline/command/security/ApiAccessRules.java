package io.ledgerline.command.security;

import io.ledgerline.platform.web.security.ApiAuthorizationRules;
import io.ledgerline.platform.web.security.Caller;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Which role may call which command: customers and operators move money (ownership is checked per
 * account), only operators freeze, unfreeze and close, admins run the admin API. Token checks, open
 * health probes and problem answers come from platform-web's shared security.
 */
@Configuration(proxyBeanMethods = false)
class ApiAccessRules {

  @Bean
  ApiAuthorizationRules commandApiRules() {
    return rules ->
        rules
            .requestMatchers(
                HttpMethod.POST,
                "/api/v1/accounts/*/freeze",
                "/api/v1/accounts/*/unfreeze",
                "/api/v1/accounts/*/close")
            .hasRole(Caller.OPERATOR)
            .requestMatchers(
                HttpMethod.POST,
                "/api/v1/accounts",
                "/api/v1/accounts/*/deposits",
                "/api/v1/accounts/*/withdrawals",
                "/api/v1/transfers")
            .hasAnyRole(Caller.CUSTOMER, Caller.OPERATOR)
            .requestMatchers(HttpMethod.GET, "/api/v1/transfers/*")
            .hasAnyRole(Caller.CUSTOMER, Caller.OPERATOR, Caller.AUDITOR)
            .requestMatchers("/api/v1/admin/**")
            .hasRole(Caller.ADMIN);
  }
}
