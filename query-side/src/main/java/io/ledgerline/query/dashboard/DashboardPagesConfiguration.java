package io.ledgerline.query.dashboard;

import io.ledgerline.platform.web.security.BrowserPages;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The dashboard's pages (src/main/resources/static), the ECharts WebJar they load and their
 * settings ({@link DashboardConfigController}): open without a token, under the pages' content
 * security policy, which lets them call the service itself and, when they sign in with an OpenID
 * Connect provider, exactly that provider's origin (discovery, token, revocation, keys).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DashboardSignIn.class)
class DashboardPagesConfiguration {

  @Bean
  BrowserPages dashboardPages(DashboardSignIn signIn) {
    BrowserPages pages =
        BrowserPages.of(
            "/",
            "/index.html",
            "/account.html",
            "/assets/**",
            "/webjars/echarts/**",
            DashboardConfigController.PATH);
    return signIn.enabled() ? pages.connectingTo(signIn.issuer()) : pages;
  }
}
