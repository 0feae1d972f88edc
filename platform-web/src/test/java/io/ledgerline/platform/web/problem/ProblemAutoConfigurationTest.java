package io.ledgerline.platform.web.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.BasicErrorController;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

class ProblemAutoConfigurationTest {

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withPropertyValues("spring.mvc.problemdetails.enabled=true")
          .withConfiguration(
              AutoConfigurations.of(
                  ProblemAutoConfiguration.class,
                  ContainerErrorAutoConfiguration.class,
                  JacksonAutoConfiguration.class,
                  HttpMessageConvertersAutoConfiguration.class,
                  DispatcherServletAutoConfiguration.class,
                  WebMvcAutoConfiguration.class,
                  ErrorMvcAutoConfiguration.class));

  @Test
  void everyFailureIsAProblemByDefault() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(ResponseEntityExceptionHandler.class);
          assertThat(context).hasSingleBean(ProblemExceptionHandler.class);
          assertThat(context).hasSingleBean(DependencyOutage.class);
          assertThat(context.getBean(ErrorController.class))
              .isInstanceOf(ProblemErrorController.class);
          assertThat(context).doesNotHaveBean(BasicErrorController.class);
          assertThat(context).hasSingleBean(RequestRejectedHandler.class);
        });
  }

  @Test
  void backsOffFromTheServicesOwnHandlers() {
    runner
        .withBean(OwnHandler.class, OwnHandler::new)
        .withBean(OwnErrorController.class, OwnErrorController::new)
        .run(
            context -> {
              assertThat(context.getBean(ResponseEntityExceptionHandler.class))
                  .isInstanceOf(OwnHandler.class);
              assertThat(context.getBean(ErrorController.class))
                  .isInstanceOf(OwnErrorController.class);
            });
  }

  @Test
  void theServicesOutageDetectorsJoinTheDatabaseChecks() {
    runner
        .withBean(OutageDetector.class, () -> cause -> cause instanceof UncheckedIOException)
        .run(
            context ->
                assertThat(
                        context
                            .getBean(DependencyOutage.class)
                            .isOutage(new UncheckedIOException(new java.io.IOException("down"))))
                    .isTrue());
  }

  @Test
  void errorsOutsideSpringMvcAreProblemsToo() throws Exception {
    MockHttpServletRequest forwarded = new MockHttpServletRequest("GET", "/error");
    forwarded.setAttribute("jakarta.servlet.error.status_code", 404);
    ResponseEntity<ProblemDetail> error = new ProblemErrorController().error(forwarded);

    assertThat(error.getStatusCode().value()).isEqualTo(404);
    assertThat(error.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(error.getBody().getType().toString()).isEqualTo("urn:ledgerline:problem:not-found");

    runner.run(
        context -> {
          MockHttpServletResponse rejected = new MockHttpServletResponse();
          context
              .getBean(RequestRejectedHandler.class)
              .handle(
                  new MockHttpServletRequest("GET", "/a%2F..%2Fb"),
                  rejected,
                  new RequestRejectedException("encoded slash"));
          assertThat(rejected.getStatus()).isEqualTo(400);
          assertThat(rejected.getContentAsString())
              .isEqualTo(
                  "{\"type\":\"urn:ledgerline:problem:bad-request\",\"title\":\"Bad Request\","
                      + "\"status\":400,\"detail\":\"the request URL is not acceptable\"}");
        });
  }

  static final class OwnHandler extends ProblemExceptionHandler {
    OwnHandler() {
      super(new DependencyOutage(List.of()), "outage", "internal");
    }
  }

  static final class OwnErrorController implements ErrorController {}
}
