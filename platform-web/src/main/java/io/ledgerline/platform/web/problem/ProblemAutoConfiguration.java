package io.ledgerline.platform.web.problem;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every failure of a request as an RFC 9457 problem: the outage classifier, and the exception
 * handler unless the service brings its own (usually a subclass of {@link
 * ProblemExceptionHandler}).
 */
// Before Boot's MVC configuration, whose own problem handler backs off from ours.
@AutoConfiguration(before = WebMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ProblemAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  DependencyOutage dependencyOutage(ObjectProvider<OutageDetector> detectors) {
    return new DependencyOutage(detectors.orderedStream().toList());
  }

  @Bean
  @ConditionalOnMissingBean(ResponseEntityExceptionHandler.class)
  ProblemExceptionHandler problemExceptionHandler(DependencyOutage outage) {
    return new ProblemExceptionHandler(
        outage,
        "a dependency of the service is unavailable; retry later",
        "the request could not be completed; retry later");
  }
}
