package io.ledgerline.platform.web.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerline.platform.web.problem.PayloadTooLargeException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.Ordered;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

class RequestBodyLimitFilterTest {

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RequestLimitsAutoConfiguration.class));

  @Test
  void aDeclaredBodyOverTheLimitIsA413ProblemAndGoesNoFurther() throws Exception {
    MockHttpServletRequest request = post("x".repeat(11));
    MockHttpServletResponse response = new MockHttpServletResponse();
    AtomicReference<ServletRequest> passed = new AtomicReference<>();

    new RequestBodyLimitFilter(DataSize.ofBytes(10))
        .doFilter(request, response, (req, res) -> passed.set(req));

    assertThat(passed.get()).isNull();
    assertThat(response.getStatus()).isEqualTo(413);
    assertThat(response.getContentType()).startsWith("application/problem+json");
    assertThat(response.getContentAsString())
        .isEqualTo(
            "{\"type\":\"urn:ledgerline:problem:payload-too-large\",\"title\":\"Payload too"
                + " large\",\"status\":413,\"detail\":\"the request body exceeds 10 bytes\"}");
  }

  @Test
  void aStreamedBodyIsCutOffOnceItPassesTheLimit() throws Exception {
    AtomicReference<ServletRequest> passed = new AtomicReference<>();

    new RequestBodyLimitFilter(DataSize.ofBytes(10))
        .doFilter(
            chunked(post("x".repeat(11))),
            new MockHttpServletResponse(),
            (req, res) -> passed.set(req));

    assertThatThrownBy(() -> passed.get().getInputStream().readAllBytes())
        .isInstanceOf(PayloadTooLargeException.class);
  }

  @Test
  void aBodyWithinTheLimitPassesWhole() throws Exception {
    AtomicReference<ServletRequest> passed = new AtomicReference<>();

    new RequestBodyLimitFilter(DataSize.ofBytes(10))
        .doFilter(post("0123456789"), new MockHttpServletResponse(), (req, res) -> passed.set(req));

    assertThat(new String(passed.get().getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("0123456789");
  }

  @Test
  void runsRightAfterTheCorrelationId() {
    assertThat(new RequestBodyLimitFilter(DataSize.ofKilobytes(16)).getOrder())
        .isEqualTo(Ordered.HIGHEST_PRECEDENCE + 1);
  }

  @Test
  void theLimitIs16KbUnlessConfigured() {
    runner.run(
        context ->
            assertThat(context.getBean(RequestLimitsProperties.class).maxBodySize())
                .isEqualTo(DataSize.ofKilobytes(16)));
    runner
        .withPropertyValues("ledgerline.api.max-body-size=1KB")
        .run(
            context -> {
              assertThat(context).hasSingleBean(RequestBodyLimitFilter.class);
              MockHttpServletResponse response = new MockHttpServletResponse();
              context
                  .getBean(RequestBodyLimitFilter.class)
                  .doFilter(post("x".repeat(1025)), response, (req, res) -> {});
              assertThat(response.getStatus()).isEqualTo(413);
            });
  }

  @Test
  void backsOffFromTheServicesOwnFilter() {
    RequestBodyLimitFilter own = new RequestBodyLimitFilter(DataSize.ofBytes(1));
    runner
        .withBean(RequestBodyLimitFilter.class, () -> own)
        .run(context -> assertThat(context.getBean(RequestBodyLimitFilter.class)).isSameAs(own));
  }

  private static MockHttpServletRequest post(String body) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/accounts");
    request.setContentType("application/json");
    request.setContent(body.getBytes(StandardCharsets.UTF_8));
    return request;
  }

  /** The request as a chunked one looks: no declared length. */
  private static HttpServletRequest chunked(MockHttpServletRequest request) {
    return new HttpServletRequestWrapper(request) {
      @Override
      public long getContentLengthLong() {
        return -1;
      }

      @Override
      public int getContentLength() {
        return -1;
      }
    };
  }
}
