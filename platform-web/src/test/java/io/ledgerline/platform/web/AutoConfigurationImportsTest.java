package io.ledgerline.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.platform.web.correlation.CorrelationAutoConfiguration;
import io.ledgerline.platform.web.health.KafkaHealthAutoConfiguration;
import io.ledgerline.platform.web.json.StrictJsonAutoConfiguration;
import io.ledgerline.platform.web.limits.RequestLimitsAutoConfiguration;
import io.ledgerline.platform.web.openapi.ApiDocsAutoConfiguration;
import io.ledgerline.platform.web.problem.ContainerErrorAutoConfiguration;
import io.ledgerline.platform.web.problem.ProblemAutoConfiguration;
import io.ledgerline.platform.web.ratelimit.RateLimitAutoConfiguration;
import io.ledgerline.platform.web.security.ApiSecurityAutoConfiguration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;

/** A service that depends on the module gets every concern without scanning its packages. */
class AutoConfigurationImportsTest {

  @Test
  void everyAutoConfigurationIsListedForSpringBootToFind() {
    List<String> listed = new ArrayList<>();
    ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader())
        .forEach(listed::add);

    assertThat(listed)
        .contains(
            ApiSecurityAutoConfiguration.class.getName(),
            ProblemAutoConfiguration.class.getName(),
            ContainerErrorAutoConfiguration.class.getName(),
            CorrelationAutoConfiguration.class.getName(),
            RequestLimitsAutoConfiguration.class.getName(),
            RateLimitAutoConfiguration.class.getName(),
            StrictJsonAutoConfiguration.class.getName(),
            KafkaHealthAutoConfiguration.class.getName(),
            ApiDocsAutoConfiguration.class.getName());
  }
}
