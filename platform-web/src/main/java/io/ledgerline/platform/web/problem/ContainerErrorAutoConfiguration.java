package io.ledgerline.platform.web.problem;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Problem responses for errors raised outside Spring MVC: requests the servlet container or the
 * security firewall reject (malformed paths, encoded slashes, bad characters), and errors routed to
 * {@code /error}. Without this, those answers would be HTML pages.
 */
// Before Boot's error configuration, whose whitelabel controller backs off from ours.
@AutoConfiguration(before = ErrorMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ContainerErrorAutoConfiguration {

  static final String DETAIL = "the request could not be served";

  @Bean
  @ConditionalOnMissingBean(ErrorController.class)
  ProblemErrorController problemErrorController() {
    return new ProblemErrorController();
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(RequestRejectedHandler.class)
  static class FirewallConfiguration {
    @Bean
    @ConditionalOnMissingBean
    RequestRejectedHandler requestRejectedHandler() {
      return (request, response, rejected) ->
          write(response, HttpStatus.BAD_REQUEST.value(), "the request URL is not acceptable");
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(Tomcat.class)
  static class TomcatConfiguration {
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
      return new OrderedCustomizer();
    }
  }

  /** Runs after Spring Boot's own Tomcat customizer, so its valve reports first. */
  static final class OrderedCustomizer
      implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
    @Override
    public void customize(TomcatServletWebServerFactory factory) {
      factory.addContextCustomizers(
          context -> context.getParent().getPipeline().addValve(new ProblemErrorReportValve()));
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }

  /** Tomcat's last resort for errors: a problem body instead of an HTML page. */
  static final class ProblemErrorReportValve extends ErrorReportValve {
    @Override
    protected void report(Request request, Response response, Throwable throwable) {
      int status = response.getStatus();
      if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
        return;
      }
      try {
        write(response, status, DETAIL);
        response.finishResponse();
      } catch (IOException | IllegalStateException ignored) {
        // The client has gone; nothing left to tell it.
      }
    }
  }

  static void write(HttpServletResponse response, int status, String detail) throws IOException {
    HttpStatus known = HttpStatus.resolve(status);
    Problems.write(
        response,
        status,
        Problems.kindOf(status),
        known == null ? "Error" : known.getReasonPhrase(),
        detail);
  }
}
