package io.ledgerline.platform.web.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The rate limiter's keys and decisions, on Bucket4j's distributed protocol over an in-memory store
 * (what the PostgreSQL table holds). Counts allow for the tokens real time refills meanwhile.
 */
class RateLimitFilterTest {

  private final InMemoryStore store = new InMemoryStore();

  @Test
  void readsTheSubjectOfABearerTokenWithoutVerifyingIt() {
    String token = jwt("{\"iss\":\"x\",\"roles\":[\"a\",{\"sub\":\"no\"}],\"sub\":\"alice\"}");
    assertThat(RateLimitFilter.unverifiedSubject("Bearer " + token)).isEqualTo("alice");
    assertThat(RateLimitFilter.unverifiedSubject("bearer " + token)).isEqualTo("alice");
    String longest = "s".repeat(RateLimitFilter.MAX_SUBJECT_LENGTH);
    assertThat(RateLimitFilter.unverifiedSubject("Bearer " + jwt("{\"sub\":\"" + longest + "\"}")))
        .isEqualTo(longest);
  }

  @Test
  void aMalformedOversizedOrAbsentSubjectIsNone() {
    for (String authorization :
        new String[] {
          null,
          "",
          "Basic YTpi",
          "Bearer",
          "Bearer abc",
          "Bearer a.b",
          "Bearer a.!!!.c",
          "Bearer " + jwt("not json"),
          "Bearer " + jwt("[\"sub\",\"alice\"]"),
          "Bearer " + jwt("{\"sub\":"),
          "Bearer " + jwt("{\"sub\":42}"),
          "Bearer " + jwt("{\"sub\":null}"),
          "Bearer " + jwt("{\"sub\":\"\"}"),
          "Bearer " + jwt("{\"sub\":[\"alice\"]}"),
          "Bearer " + jwt("{\"iss\":\"x\"}"),
          "Bearer " + jwt("{\"a\":{\"sub\":\"alice\"}}"),
          "Bearer " + jwt("{\"a\":" + "[".repeat(5_000) + "]".repeat(5_000) + ",\"sub\":\"x\"}"),
          "Bearer "
              + jwt("{\"sub\":\"" + "s".repeat(RateLimitFilter.MAX_SUBJECT_LENGTH + 1) + "\"}"),
          "Bearer "
              + jwt(
                  "{\"sub\":\"alice\",\"pad\":\""
                      + "p".repeat(RateLimitFilter.MAX_AUTHORIZATION_LENGTH)
                      + "\"}")
        }) {
      assertThat(RateLimitFilter.unverifiedSubject(authorization)).as(authorization).isNull();
    }
  }

  @Test
  void addressesArePlainKeysAndAnythingElseADigest() {
    assertThat(RateLimitFilter.addressKey("10.0.0.1")).isEqualTo("10.0.0.1");
    assertThat(RateLimitFilter.addressKey("0:0:0:0:0:0:0:1")).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(RateLimitFilter.addressKey("a b\u0000")).startsWith("#").hasSize(23);
    assertThat(RateLimitFilter.addressKey(null)).startsWith("#");
  }

  @Test
  void eachSubjectHasABucketPerAddressWithinTheAddresssBucket() {
    RateLimitFilter filter = filter(store, 1, 3, 1, 10, 100);
    long started = System.nanoTime();
    String alice = "Bearer " + jwt("{\"sub\":\"alice\"}");

    assertThat(admitted(filter, "10.0.0.1", alice, 3)).isEqualTo(3);
    assertThat(admitted(filter, "10.0.0.1", alice, 5)).isLessThanOrEqualTo(refill(started, 1));
    // Another subject at the same address, and the same subject (a forged token, say) elsewhere.
    assertThat(admitted(filter, "10.0.0.1", "Bearer " + jwt("{\"sub\":\"bob\"}"), 1)).isOne();
    assertThat(admitted(filter, "10.0.0.2", alice, 3)).isEqualTo(3);
    // Subjects that change on every request (or none) still drain the address's bucket.
    int cycled = 0;
    for (int i = 0; i < 20; i++) {
      cycled += admitted(filter, "10.0.0.1", "Bearer " + jwt("{\"sub\":\"s" + i + "\"}"), 1);
    }
    assertThat(cycled).isLessThanOrEqualTo(10 - 9 + refill(started, 1));
    assertThat(admitted(filter, "10.0.0.1", "Bearer not-a-jwt", 5))
        .isLessThanOrEqualTo(refill(started, 1));
  }

  @Test
  void overTheLimitIs429WithRetryAfter() throws Exception {
    RateLimitFilter filter = filter(store, 1, 2, 1, 100, 100);
    MockHttpServletResponse response = null;
    for (int i = 0; i < 10; i++) {
      response = send(filter, request("10.0.0.1", "Bearer " + jwt("{\"sub\":\"alice\"}")));
    }

    assertThat(response.getStatus()).isEqualTo(429);
    assertThat(Long.parseLong(response.getHeader("Retry-After"))).isBetween(1L, 2L);
    assertThat(response.getContentType()).startsWith("application/problem+json");
    assertThat(response.getContentAsString()).contains("urn:ledgerline:problem:rate-limited");
  }

  @Test
  void healthProbesAreNeverLimitedAndEverythingElseIs() throws Exception {
    RateLimitFilter filter = filter(store, 1, 1, 1, 1, 100);
    send(filter, request("10.0.0.1", null));

    for (String path : new String[] {"/actuator/health", "/actuator/health/readiness"}) {
      MockHttpServletRequest probe = request("10.0.0.1", null);
      probe.setServletPath(path);
      assertThat(send(filter, probe).getStatus()).as(path).isEqualTo(200);
    }
    // A token would be verified, even on a probe: such a request is limited like any other.
    String[][] limited = {
      {"/actuator/health", "Bearer x.y.z"},
      {"/api/v1/accounts", null},
      {"/actuator/prometheus", null},
      {"/v3/api-docs", null}
    };
    for (String[] request : limited) {
      boolean refused = false;
      for (int i = 0; i < 5 && !refused; i++) {
        MockHttpServletRequest other = request("10.0.0.1", request[1]);
        other.setServletPath(request[0]);
        refused = send(filter, other).getStatus() == 429;
      }
      assertThat(refused).as(request[0] + " " + request[1]).isTrue();
    }
  }

  @Test
  void eachRefusalIsReportedWithTheBucketThatWasEmpty() throws Exception {
    List<RateLimitListener.Limit> refused = new ArrayList<>();
    RateLimitFilter filter = filter(store, 1, 1, 1, 3, 100, refused::add);
    String alice = "Bearer " + jwt("{\"sub\":\"alice\"}");

    assertThat(send(filter, request("10.0.0.1", alice)).getStatus()).isEqualTo(200);
    assertThat(send(filter, request("10.0.0.1", alice)).getStatus()).isEqualTo(429);
    assertThat(refused).containsExactly(RateLimitListener.Limit.SUBJECT);

    // alice's two requests took two of the address's three tokens.
    assertThat(send(filter, request("10.0.0.1", null)).getStatus()).isEqualTo(200);
    assertThat(send(filter, request("10.0.0.1", null)).getStatus()).isEqualTo(429);
    assertThat(refused)
        .containsExactly(RateLimitListener.Limit.SUBJECT, RateLimitListener.Limit.ADDRESS);
  }

  @Test
  void evictingClientsFromThisInstanceResetsNoLimit() {
    RateLimitFilter filter = filter(store, 1, 100, 1, 5, 10);
    long started = System.nanoTime();
    assertThat(admitted(filter, "10.0.0.1", null, 5)).isEqualTo(5);
    assertThat(admitted(filter, "10.0.0.2", null, 2)).isEqualTo(2);

    // Far more clients than this instance keeps: the first two are evicted from it.
    for (int i = 0; i < 100; i++) {
      admitted(filter, "10.1.0." + i, null, 1);
    }

    // An evicted client forfeits at most the tokens it took unseen by the store.
    long unseen = RateLimitBuckets.Limit.of("x", 1, 5).unsynchronized();
    assertThat(admitted(filter, "10.0.0.1", null, 5))
        .isLessThanOrEqualTo((int) unseen + refill(started, 1));
    assertThat(admitted(filter, "10.0.0.2", null, 5))
        .isGreaterThanOrEqualTo(3)
        .isLessThanOrEqualTo(3 + (int) unseen + refill(started, 1));
  }

  @Test
  void instancesSharingTheStoreShareTheLimit() {
    RateLimitFilter first = filter(store, 1, 100, 10, 20, 100);
    RateLimitFilter second = filter(store, 1, 100, 10, 20, 100);
    long started = System.nanoTime();
    int admitted = 0;
    for (int i = 0; i < 100; i++) {
      admitted += admitted(i % 2 == 0 ? first : second, "10.0.0.1", null, 1);
    }

    // Alone, each would admit 20. Each may grant 1 token (a tenth of the rate) unseen by the other.
    int slack = (int) (2 * 2 * RateLimitBuckets.Limit.of("x", 10, 20).unsynchronized());
    assertThat(admitted).isGreaterThanOrEqualTo(20);
    assertThat(admitted).isLessThanOrEqualTo(20 + refill(started, 10) + slack);
  }

  @Test
  void whileTheStoreFailsEachInstanceLimitsAlone() {
    store.failing = true;
    RateLimitFilter filter = filter(store, 1, 100, 1, 5, 100);
    long started = System.nanoTime();

    assertThat(admitted(filter, "10.0.0.1", null, 5)).isEqualTo(5);
    assertThat(admitted(filter, "10.0.0.1", null, 5)).isLessThanOrEqualTo(refill(started, 1));
  }

  private static RateLimitFilter filter(
      InMemoryStore store,
      long perSecond,
      long burst,
      long perAddressPerSecond,
      long perAddressBurst,
      int maxClients) {
    return filter(
        store,
        perSecond,
        burst,
        perAddressPerSecond,
        perAddressBurst,
        maxClients,
        RateLimitListener.NONE);
  }

  private static RateLimitFilter filter(
      InMemoryStore store,
      long perSecond,
      long burst,
      long perAddressPerSecond,
      long perAddressBurst,
      int maxClients,
      RateLimitListener listener) {
    return new RateLimitFilter(
        store,
        "test",
        perSecond,
        burst,
        perAddressPerSecond,
        perAddressBurst,
        maxClients,
        listener);
  }

  /** How many of {@code count} requests passed the filter. */
  private static int admitted(
      RateLimitFilter filter, String address, String authorization, int count) {
    int admitted = 0;
    for (int i = 0; i < count; i++) {
      try {
        if (send(filter, request(address, authorization)).getStatus() != 429) {
          admitted++;
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return admitted;
  }

  private static MockHttpServletResponse send(
      RateLimitFilter filter, MockHttpServletRequest request) throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();
    filter.doFilter(request, response, chain);
    assertThat(chain.getRequest() != null).isEqualTo(response.getStatus() != 429);
    return response;
  }

  private static MockHttpServletRequest request(String address, String authorization) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/accounts");
    request.setServletPath("/api/v1/accounts");
    request.setRemoteAddr(address);
    if (authorization != null) {
      request.addHeader("Authorization", authorization);
    }
    return request;
  }

  /** Whole tokens refilled at {@code perSecond} since {@code started}, rounded up. */
  private static int refill(long started, long perSecond) {
    return (int) Math.ceil((System.nanoTime() - started) / 1e9 * perSecond);
  }

  /** A token of this payload with a signature nobody checks here. */
  private static String jwt(String payload) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    return base64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + base64.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + ".c2lnbmF0dXJl";
  }

  /** Bucket4j's compare-and-swap protocol over a map: the rows of the shared table. */
  static final class InMemoryStore extends AbstractCompareAndSwapBasedProxyManager<String> {
    private final Map<String, byte[]> rows = new ConcurrentHashMap<>();
    volatile boolean failing;

    InMemoryStore() {
      super(ClientSideConfig.getDefault().withClientClock(TimeMeter.SYSTEM_MILLISECONDS));
    }

    @Override
    protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
      if (failing) {
        throw new IllegalStateException("store unavailable");
      }
      return new CompareAndSwapOperation() {
        @Override
        public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
          return Optional.ofNullable(rows.get(key));
        }

        @Override
        public boolean compareAndSwap(
            byte[] original, byte[] data, RemoteBucketState state, Optional<Long> timeoutNanos) {
          return original == null
              ? rows.putIfAbsent(key, data) == null
              : rows.replace(key, original, data);
        }
      };
    }

    @Override
    protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void removeProxy(String key) {
      rows.remove(key);
    }

    @Override
    public boolean isAsyncModeSupported() {
      return false;
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
      throw new UnsupportedOperationException();
    }
  }
}
