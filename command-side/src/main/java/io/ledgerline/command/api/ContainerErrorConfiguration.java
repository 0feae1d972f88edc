package io.ledgerline.command.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Problem responses for errors raised outside Spring MVC: requests the servlet container or the
 * security firewall reject (malformed paths, encoded slashes, bad characters), and errors routed to
 * {@code /error}. Without this, those answers would be HTML pages.
 */
@Configuration(proxyBeanMethods = false)
class ContainerErrorConfiguration {

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
    return new OrderedCustomizer();
  }

  @Bean
  RequestRejectedHandler requestRejectedHandler() {
    return (request, response, rejected) ->
        write(response, HttpStatus.BAD_REQUEST.value(), "the request URL is not acceptable");
  }

  @RestController
  static class ProblemErrorController implements ErrorController {
    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
      Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
      HttpStatus status =
          code instanceof Integer value && HttpStatus.resolve(value) != null
              ? HttpStatus.resolve(value)
              : HttpStatus.INTERNAL_SERVER_ERROR;
      ProblemDetail problem =
          Problems.of(
              status,
              kind(status.value()),
              status.getReasonPhrase(),
              "the request could not be served");
      return ResponseEntity.status(status)
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .body(problem);
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
        write(response, status, "the request could not be served");
        response.finishResponse();
      } catch (IOException | IllegalStateException ignored) {
        // The client has gone; nothing left to tell it.
      }
    }
  }

  static void write(HttpServletResponse response, int status, String detail) throws IOException {
    HttpStatus known = HttpStatus.resolve(status);
    Problems.write(
        response, status, kind(status), known == null ? "Error" : known.getReasonPhrase(), detail);
  }

  static String kind(int status) {
    return switch (status) {
      case 400 -> "bad-request";
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 406 -> "not-acceptable";
      case 413 -> "payload-too-large";
      case 414 -> "uri-too-long";
      case 415 -> "unsupported-media-type";
      case 431 -> "headers-too-large";
      default -> "http-" + status;
    };
  }
}
