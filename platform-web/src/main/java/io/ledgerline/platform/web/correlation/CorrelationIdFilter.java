package io.ledgerline.platform.web.correlation;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.boot.web.servlet.filter.OrderedFilter;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request a correlation id: the client's {@code X-Correlation-Id} when it is a sane
 * token, a new UUID otherwise. It is echoed in the response, put in the logging context as {@code
 * correlationId}, and kept as a request attribute for whatever the request causes (see {@link
 * #of(ServletRequest)}).
 */
public class CorrelationIdFilter extends OncePerRequestFilter implements OrderedFilter {

  /** First of all filters: even a request refused by a later one carries its id. */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

  /** The request and response header. */
  public static final String HEADER = "X-Correlation-Id";

  /** The logging context (MDC) key. */
  public static final String MDC_KEY = "correlationId";

  static final String ATTRIBUTE = "ledgerline.correlationId";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

  /** The correlation id this filter gave {@code request}, or null when it did not pass it. */
  public static String of(ServletRequest request) {
    Object correlationId = request.getAttribute(ATTRIBUTE);
    return correlationId == null ? null : correlationId.toString();
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String given = request.getHeader(HEADER);
    String correlationId =
        given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
    request.setAttribute(ATTRIBUTE, correlationId);
    response.setHeader(HEADER, correlationId);
    MDC.put(MDC_KEY, correlationId);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove(MDC_KEY);
    }
  }
}
