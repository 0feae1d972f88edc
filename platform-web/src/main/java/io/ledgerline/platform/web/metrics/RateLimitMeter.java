package io.ledgerline.platform.web.metrics;

import io.ledgerline.platform.web.ratelimit.RateLimitListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counts the requests the rate limiter refused, as {@value #NAME} tagged with the {@code limit}
 * they hit ({@code address} or {@code subject}); Prometheus shows {@code
 * ledgerline_rate_limited_total}.
 */
public class RateLimitMeter implements RateLimitListener {

  public static final String NAME = "ledgerline.rate.limited";

  private final Map<Limit, Counter> refused = new EnumMap<>(Limit.class);

  public RateLimitMeter(MeterRegistry meters) {
    // Registered up front: a limit never hit still reads 0 rather than missing.
    for (Limit limit : Limit.values()) {
      refused.put(
          limit,
          Counter.builder(NAME)
              .description("Requests refused with 429 by the rate limiter, before token checks")
              .tag("limit", limit.name().toLowerCase(Locale.ROOT))
              .register(meters));
    }
  }

  @Override
  public void refused(Limit limit) {
    refused.get(limit).increment();
  }
}
