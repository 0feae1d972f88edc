package io.ledgerline.query.dashboard;

import io.ledgerline.platform.web.security.SecurityProperties;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the dashboard page needs to know before anyone signs in: the OpenID Connect provider it
 * signs in with, if any ({@link DashboardSignIn}), and the claim that holds a token's roles (the
 * one {@code ledgerline.security.jwt.roles-claim} names, so the page shows the roles the service
 * grants). Open like the pages themselves: nothing in it is secret. Not part of the API.
 */
@Hidden
@RestController
class DashboardConfigController {

  static final String PATH = "/dashboard/config.json";

  private final DashboardSignIn signIn;
  private final SecurityProperties security;

  DashboardConfigController(DashboardSignIn signIn, SecurityProperties security) {
    this.signIn = signIn;
    this.security = security;
  }

  @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> config() {
    Map<String, Object> config = new LinkedHashMap<>();
    if (signIn.enabled()) {
      Map<String, Object> provider = new LinkedHashMap<>();
      provider.put("issuer", signIn.issuer());
      provider.put("clientId", signIn.clientId());
      provider.put("scope", signIn.scope());
      config.put("signIn", provider);
    } else {
      config.put("signIn", null);
    }
    config.put("rolesClaim", security.rolesClaim());
    return config;
  }
}
