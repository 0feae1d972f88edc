package io.ledgerline.query.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-client rate limiting of the API: a token bucket per authenticated subject (or, before
 * authentication, per remote address). Over the limit, 429 with {@code Retry-After}. Limits are per
 * instance; behind a load balancer the effective limit is the sum over instances.
 */
@Component
// After Spring Security (order -100): the subject is known by then.
@Order(0)
class RateLimitFilter extends OncePerRequestFilter {

  private static final int MAX_CLIENTS = 100_000;

  private final double perSecond;
  private final double burst;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimitFilter(
      @Value("${ledgerline.api.rate-limit.per-second:500}") double perSecond,
      @Value("${ledgerline.api.rate-limit.burst:1000}") double burst) {
    this.perSecond = perSecond;
    this.burst = burst;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/api/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (buckets.size() > MAX_CLIENTS) {
      buckets.clear(); // Bounded memory; a reset only ever lets clients through.
    }
    Bucket bucket = buckets.computeIfAbsent(client(request), key -> new Bucket(burst));
    if (!bucket.take(perSecond, burst)) {
      response.setHeader(
          "Retry-After", Long.toString(Math.max(1, (long) Math.ceil(1 / perSecond))));
      Problems.write(
          response,
          429,
          "rate-limited",
          "Too many requests",
          "slow down and retry after the time in Retry-After");
      return;
    }
    chain.doFilter(request, response);
  }

  private static String client(HttpServletRequest request) {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    return authentication != null && authentication.isAuthenticated()
        ? "sub:" + authentication.getName()
        : "ip:" + request.getRemoteAddr();
  }

  /** Tokens refill continuously at the rate, up to the burst. */
  private static final class Bucket {
    private double tokens;
    private long refilledAt = System.nanoTime();

    Bucket(double tokens) {
      this.tokens = tokens;
    }

    synchronized boolean take(double perSecond, double burst) {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
      refilledAt = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }
}
