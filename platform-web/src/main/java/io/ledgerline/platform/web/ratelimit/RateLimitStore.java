package io.ledgerline.platform.web.ratelimit;

import com.zaxxer.hikari.HikariDataSource;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Where the rate limiter's buckets live: the {@code rate_limit_bucket} table of the service's
 * database (the command side's migration V8 creates it), shared by every instance. A row is deleted
 * a minute after its bucket would have refilled, which loses nothing; that sweep runs where the
 * application enables scheduling. Instances' clocks must agree (NTP) to within a fraction of a
 * bucket's refill time.
 */
public class RateLimitStore implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RateLimitStore.class);
  private static final int BATCH = 1_000;

  private final HikariDataSource dataSource;
  private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

  /** Connects lazily, on the first request, to the database {@code properties} name. */
  public RateLimitStore(DataSourceProperties properties) {
    // A pool of its own: the service's pool may be read-only, and syncs never queue behind work.
    dataSource = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    dataSource.setPoolName("rate-limit");
    dataSource.setMaximumPoolSize(4);
    dataSource.setMinimumIdle(1);
    dataSource.setReadOnly(false);
    // A database outage costs a request about a second; RateLimitBuckets then limits locally.
    dataSource.setConnectionTimeout(1_000);
    dataSource.setValidationTimeout(500);
    dataSource.addDataSourceProperty("socketTimeout", "5");
    buckets =
        Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
            .primaryKeyMapper(PrimaryKeyMapper.STRING)
            .table("rate_limit_bucket")
            .expirationAfterWrite(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                    Duration.ofMinutes(1)))
            .requestTimeout(Duration.ofSeconds(1))
            .build();
  }

  ProxyManager<String> buckets() {
    return buckets;
  }

  @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1M")
  void removeExpired() {
    try {
      while (buckets.removeExpired(BATCH) == BATCH) {
        // Small batches keep each delete's locks short.
      }
    } catch (RuntimeException e) {
      log.debug("Expired rate limit buckets not removed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
