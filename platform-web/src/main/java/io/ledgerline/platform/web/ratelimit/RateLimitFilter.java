package io.ledgerline.platform.web.ratelimit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.ledgerline.platform.web.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.filter.OrderedFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-client rate limiting, before any token is verified: a token bucket per remote address, and
 * one per address and token subject, read from the token unverified. A forged token naming someone
 * else's subject thus only drains buckets of the forger's address. Buckets are shared by all
 * instances ({@link RateLimitBuckets}); over a limit, 429 with {@code Retry-After}.
 */
public class RateLimitFilter extends OncePerRequestFilter implements OrderedFilter {

  /** Before Spring Security's filter chain: a flood of bad tokens costs no signature checks. */
  public static final int ORDER = SecurityProperties.DEFAULT_FILTER_ORDER - 1;

  // Tomcat refuses longer headers by default; a token this long was never issued to a client.
  static final int MAX_AUTHORIZATION_LENGTH = 8_192;
  static final int MAX_SUBJECT_LENGTH = 256;

  private static final JsonFactory JSON = new JsonFactory();
  private static final Pattern PLAIN_ADDRESS = Pattern.compile("[0-9A-Za-z.:%_-]{1,64}");

  private final RateLimitBuckets buckets;
  private final RateLimitBuckets.Limit perAddress;
  private final RateLimitBuckets.Limit perSubject;
  private final RateLimitListener listener;

  /**
   * @param store the buckets shared by every instance
   * @param service names the service in every bucket's key: services never share a bucket
   * @param properties the limits
   * @param listener told of every refused request
   */
  public RateLimitFilter(
      RateLimitStore store,
      String service,
      RateLimitProperties properties,
      RateLimitListener listener) {
    this(
        store.buckets(),
        service,
        properties.perSecond(),
        properties.burst(),
        properties.perAddressPerSecond(),
        properties.perAddressBurst(),
        properties.maxClients(),
        listener);
  }

  RateLimitFilter(
      ProxyManager<String> store,
      String service,
      long perSecond,
      long burst,
      long perAddressPerSecond,
      long perAddressBurst,
      int maxClients,
      RateLimitListener listener) {
    this.buckets = new RateLimitBuckets(store, maxClients);
    this.perAddress = RateLimitBuckets.Limit.of(service, perAddressPerSecond, perAddressBurst);
    this.perSubject = RateLimitBuckets.Limit.of(service, perSecond, burst);
    this.listener = listener;
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    // Probes carry no token; one that does is verified, so it is limited like any other request.
    if (request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
      return false;
    }
    // The container's normalized path: "/actuator/health/../api" is no health probe.
    String path =
        request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String address = addressKey(request.getRemoteAddr());
    ConsumptionProbe probe = buckets.tryConsume(perAddress, address);
    RateLimitListener.Limit limit = RateLimitListener.Limit.ADDRESS;
    if (probe.isConsumed()) {
      String subject = unverifiedSubject(request.getHeader(HttpHeaders.AUTHORIZATION));
      if (subject != null) {
        probe = buckets.tryConsume(perSubject, address + "|" + digest(subject));
        limit = RateLimitListener.Limit.SUBJECT;
      }
    }
    if (!probe.isConsumed()) {
      listener.refused(limit);
      long seconds = (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L;
      response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, seconds)));
      // Spring Security's header writers never see this answer.
      response.setHeader("X-Content-Type-Options", "nosniff");
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

  /**
   * The {@code sub} claim of a bearer token, unverified; null when there is none, the token is
   * malformed, or either is longer than any real one.
   */
  static String unverifiedSubject(String authorization) {
    if (authorization == null
        || authorization.length() > MAX_AUTHORIZATION_LENGTH
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (second < 0) {
      return null;
    }
    try (JsonParser parser =
        JSON.createParser(Base64.getUrlDecoder().decode(token.substring(first + 1, second)))) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("sub".equals(name)) {
          String subject = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          return subject == null || subject.isEmpty() || subject.length() > MAX_SUBJECT_LENGTH
              ? null
              : subject;
        }
        parser.skipChildren();
      }
      return null;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /** The address as it is when it looks like one, else its digest: keys stay short and plain. */
  static String addressKey(String address) {
    return address != null && PLAIN_ADDRESS.matcher(address).matches()
        ? address
        : "#" + digest(String.valueOf(address));
  }

  // Subjects are stored only as digests: no personal data, no odd characters in the store.
  private static String digest(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
