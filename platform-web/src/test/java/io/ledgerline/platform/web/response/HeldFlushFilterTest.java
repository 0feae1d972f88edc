package io.ledgerline.platform.web.response;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class HeldFlushFilterTest {

  private final HeldFlushFilter filter = new HeldFlushFilter();
  private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/x");
  private final MockHttpServletResponse response = new MockHttpServletResponse();

  @Test
  void aFlushWhileTheHandlerRunsDoesNotCommitTheResponse() throws Exception {
    AtomicBoolean committedInside = new AtomicBoolean(true);
    FilterChain handler =
        (req, res) -> {
          res.getOutputStream().write("{\"balance\":5}".getBytes(StandardCharsets.UTF_8));
          res.getOutputStream().flush();
          res.flushBuffer();
          committedInside.set(res.isCommitted());
        };

    filter.doFilter(request, response, handler);

    assertThat(committedInside).isFalse();
    // Left to the container, which sends it whole (with its length) when the request ends.
    assertThat(response.isCommitted()).isFalse();
    assertThat(response.getContentAsString()).isEqualTo("{\"balance\":5}");
  }

  @Test
  void onceTheAnswerIsAsynchronousEveryFlushGoesThroughAtOnce() throws Exception {
    request.setAsyncSupported(true);
    AtomicBoolean committedInside = new AtomicBoolean(false);
    jakarta.servlet.ServletResponse[] seen = {null};
    FilterChain handler =
        (req, res) -> {
          req.startAsync();
          res.getOutputStream().write("event: first\n\n".getBytes(StandardCharsets.UTF_8));
          res.getOutputStream().flush();
          committedInside.set(res.isCommitted());
          seen[0] = res;
        };

    filter.doFilter(request, response, handler);

    assertThat(committedInside).as("flushed while the dispatch still ran").isTrue();
    seen[0].getOutputStream().write("event: second\n\n".getBytes(StandardCharsets.UTF_8));
    seen[0].getOutputStream().flush();
    assertThat(response.getContentAsString()).isEqualTo("event: first\n\nevent: second\n\n");
  }

  @Test
  void theRequestThreadNeverFlushesAnAsynchronousAnswerForIt() throws Exception {
    request.setAsyncSupported(true);
    FilterChain handler =
        (req, res) -> {
          res.getOutputStream().flush(); // held: not asynchronous yet
          req.startAsync();
        };

    filter.doFilter(request, response, handler);

    assertThat(response.isCommitted()).isFalse();
  }
}
