package io.ledgerline.platform.web.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimization;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets by key, shared by every instance through a Bucket4j store. Each proxy serves most
 * requests from its local copy and writes its consumption to the store at least every {@link
 * Limit#unsynchronized} tokens or {@link #SYNC_INTERVAL}, so all instances together may exceed a
 * limit by at most {@code 2 x instances x unsynchronized} tokens. Each instance keeps the proxies
 * of its most recently seen clients, evicting the least recently used one at a time; an evicted
 * client's bucket lives on in the store (less the tokens it had not yet written). While the store
 * fails, each key falls back to a bucket of this instance alone.
 */
final class RateLimitBuckets {

  /** Longest an idle proxy trusts its local copy; bounds staleness, not overconsumption. */
  static final Duration SYNC_INTERVAL = Duration.ofSeconds(5);

  // After a store failure, requests stay local this long instead of each waiting on the outage.
  private static final long LOCAL_AFTER_FAILURE_NANOS = Duration.ofSeconds(5).toNanos();
  private static final Logger log = LoggerFactory.getLogger(RateLimitBuckets.class);

  /**
   * A kind of limit. Its key prefix names the service and the limit, so instances configured
   * differently (or a changed setting) never share a bucket.
   */
  record Limit(String prefix, Bandwidth bandwidth, long unsynchronized, Optimization optimization) {

    static Limit of(String scope, long perSecond, long burst) {
      if (perSecond < 1 || burst < 1) {
        throw new IllegalArgumentException("rate limits must be at least 1: " + scope);
      }
      Bandwidth bandwidth =
          Bandwidth.builder()
              .capacity(burst)
              .refillGreedy(perSecond, Duration.ofSeconds(1))
              .build();
      // A tenth of a second's worth of the rate: the most one instance may grant unseen by others.
      long unsynchronized = Math.max(1, perSecond / 10);
      return new Limit(
          scope + "|" + perSecond + "/" + burst + "|",
          bandwidth,
          unsynchronized,
          Optimizations.delaying(new DelayParameters(unsynchronized, SYNC_INTERVAL)));
    }

    BucketConfiguration configuration() {
      return BucketConfiguration.builder().addLimit(bandwidth).build();
    }
  }

  private final ProxyManager<String> store;
  private final Map<String, Client> clients;
  private volatile long localUntil = System.nanoTime();
  private volatile boolean storeFailing;

  RateLimitBuckets(ProxyManager<String> store, int maxClients) {
    this.store = store;
    this.clients =
        new LinkedHashMap<>(1024, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Client> eldest) {
            return size() > maxClients;
          }
        };
  }

  /** Takes one token from the bucket of {@code key} under {@code limit}. */
  ConsumptionProbe tryConsume(Limit limit, String key) {
    String id = limit.prefix() + key;
    Client client;
    synchronized (clients) {
      client =
          clients.computeIfAbsent(
              id,
              k ->
                  new Client(
                      limit.bandwidth(),
                      store
                          .builder()
                          .withOptimization(limit.optimization())
                          .build(k, limit::configuration)));
    }
    if (System.nanoTime() - localUntil < 0) {
      return client.local().tryConsumeAndReturnRemaining(1);
    }
    try {
      ConsumptionProbe probe = client.shared.tryConsumeAndReturnRemaining(1);
      if (storeFailing) {
        storeFailing = false;
        log.info("Rate limits are shared through the store again");
      }
      return probe;
    } catch (RuntimeException e) {
      localUntil = System.nanoTime() + LOCAL_AFTER_FAILURE_NANOS;
      if (!storeFailing) {
        storeFailing = true;
        log.warn("Rate limit store unavailable, limiting per instance meanwhile: {}", e.toString());
      }
      return client.local().tryConsumeAndReturnRemaining(1);
    }
  }

  /** One client's shared bucket, and its stand-in while the store fails. */
  private static final class Client {
    private final Bandwidth bandwidth;
    final BucketProxy shared;
    private Bucket local;

    Client(Bandwidth bandwidth, BucketProxy shared) {
      this.bandwidth = bandwidth;
      this.shared = shared;
    }

    synchronized Bucket local() {
      if (local == null) {
        local = Bucket.builder().addLimit(bandwidth).build();
      }
      return local;
    }
  }
}
