package io.ledgerline.platform.web.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.core.Ordered;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class CorrelationIdFilterTest {

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(CorrelationAutoConfiguration.class));

  @Test
  void aSaneCorrelationIdIsKeptEchoedAndLoggedWhileTheRequestRuns() throws Exception {
    MockHttpServletRequest request = request("order-42:retry_1.a-b");
    MockHttpServletResponse response = new MockHttpServletResponse();
    String[] logged = new String[1];

    new CorrelationIdFilter()
        .doFilter(request, response, chain(() -> logged[0] = MDC.get("correlationId")));

    assertThat(response.getHeader("X-Correlation-Id")).isEqualTo("order-42:retry_1.a-b");
    assertThat(CorrelationIdFilter.of(request)).isEqualTo("order-42:retry_1.a-b");
    assertThat(logged[0]).isEqualTo("order-42:retry_1.a-b");
    assertThat(MDC.get("correlationId")).isNull();
  }

  @Test
  void anAbsentOrInsaneCorrelationIdIsReplacedByANewOne() throws Exception {
    for (String given :
        new String[] {null, "", "a b", "x\r\nSet-Cookie: a=b", "<script>", "x".repeat(129)}) {
      MockHttpServletRequest request = request(given);
      MockHttpServletResponse response = new MockHttpServletResponse();

      new CorrelationIdFilter().doFilter(request, response, chain(() -> {}));

      String id = response.getHeader("X-Correlation-Id");
      assertThat(UUID.fromString(id).toString()).as(given).isEqualTo(id);
      assertThat(CorrelationIdFilter.of(request)).isEqualTo(id);
    }
  }

  @Test
  void runsBeforeEveryOtherFilter() {
    assertThat(new CorrelationIdFilter().getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
  }

  @Test
  void isRegisteredUnlessTheServiceBringsItsOwn() {
    runner.run(context -> assertThat(context).hasSingleBean(CorrelationIdFilter.class));
    runner
        .withBean("ownFilter", CorrelationIdFilter.class, OwnFilter::new)
        .run(
            context ->
                assertThat(context.getBean(CorrelationIdFilter.class))
                    .isInstanceOf(OwnFilter.class));
  }

  static final class OwnFilter extends CorrelationIdFilter {}

  private static MockHttpServletRequest request(String correlationId) {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/accounts");
    if (correlationId != null) {
      request.addHeader("X-Correlation-Id", correlationId);
    }
    return request;
  }

  private static FilterChain chain(Runnable during) {
    return (request, response) -> during.run();
  }
}
