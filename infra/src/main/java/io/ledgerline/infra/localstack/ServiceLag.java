package io.ledgerline.infra.localstack;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far behind each service is: the command side's event processors (from its open Prometheus
 * scrape) and the query side's projections ({@code GET /api/v1/projections}, with an operator token
 * minted from the stack's development key). Read by {@code status}, and by the benchmark, which
 * waits for both to catch up before it measures a replay. Never throws: a figure that cannot be
 * read is "unknown", with the reason.
 */
public final class ServiceLag {

  /**
   * One service's lag.
   *
   * @param events each processor's or projection's backlog in events, by name, for the figures that
   *     could be read
   * @param complete whether every figure could be read (none was unknown)
   * @param text the line {@code status} shows, e.g. "kafka-publisher 0 events behind the event
   *     store"
   */
  public record Lag(Map<String, Long> events, boolean complete, String text) {

    public Lag {
      events = Collections.unmodifiableMap(new LinkedHashMap<>(events));
    }

    /** Whether every figure was read and each is zero. */
    public boolean caughtUp() {
      return complete && !events.isEmpty() && events.values().stream().allMatch(lag -> lag == 0);
    }

    static Lag unknown(String reason) {
      return new Lag(Map.of(), false, "unknown (" + reason + ")");
    }
  }

  private static final Pattern PROCESSOR =
      Pattern.compile(
          "(?m)^ledgerline_processor_lag_events\\{[^}]*processor=\"([^\"]+)\"[^}]*}\\s+(\\S+)");

  // Each projection's totals follow its partitions, which carry a lag of their own.
  private static final Pattern PROJECTION =
      Pattern.compile(
          "\"projection\"\\s*:\\s*\"([^\"]+)\".*?\"lagEvents\"\\s*:\\s*(\\d+)\\s*,"
              + "\\s*\"lagSeconds\"\\s*:\\s*([-+0-9.eE]+)",
          Pattern.DOTALL);

  private ServiceLag() {}

  /**
   * The command side's processors, e.g. "kafka-publisher 0 events, transfer-process 2 events". The
   * service refreshes these gauges every {@code ledgerline.metrics.refresh-interval} (10 s), so a
   * figure may be that old.
   */
  public static Lag commandSide(StackConfig config) {
    return Probes.httpBody(config.commandUrl() + "/actuator/prometheus")
        .map(ServiceLag::processors)
        .orElse(Lag.unknown("no answer from /actuator/prometheus"));
  }

  /** The query side's projections, e.g. "accounts 0 events (0.0 s), transfers 3 events (1.2 s)". */
  public static Lag querySide(StackConfig config, DevTokens tokens) {
    // Never creates a key: one made now would not be the one the running services trust.
    if (!tokens.hasKeys()) {
      return Lag.unknown("no development key in " + tokens.publicKey().getParent());
    }
    String token;
    try {
      token = tokens.issue("ledgerline-cli", List.of("operator"), Duration.ofMinutes(1));
    } catch (IOException e) {
      return Lag.unknown("cannot mint a token: " + e.getMessage());
    }
    return Probes.httpBody(config.queryUrl() + "/api/v1/projections", token)
        .map(ServiceLag::projections)
        .orElse(Lag.unknown("no answer from /api/v1/projections"));
  }

  /** The processors' lag in a Prometheus scrape, by name. */
  static Lag processors(String scrape) {
    Map<String, Double> lags = new TreeMap<>();
    Matcher processor = PROCESSOR.matcher(scrape);
    while (processor.find()) {
      lags.put(processor.group(1), number(processor.group(2)));
    }
    if (lags.isEmpty()) {
      return Lag.unknown("no event processor has reported yet");
    }
    Map<String, Long> events = new LinkedHashMap<>();
    List<String> shown = new ArrayList<>();
    lags.forEach(
        (name, lag) -> {
          if (Double.isNaN(lag)) {
            shown.add(name + " unknown");
          } else {
            events.put(name, (long) lag.doubleValue());
            shown.add(name + " " + (long) lag.doubleValue() + " events");
          }
        });
    return new Lag(
        events, events.size() == lags.size(), String.join(", ", shown) + " behind the event store");
  }

  /** The projections' lag in the answer of {@code GET /api/v1/projections}, in its order. */
  static Lag projections(String json) {
    Map<String, Long> events = new LinkedHashMap<>();
    List<String> shown = new ArrayList<>();
    Matcher projection = PROJECTION.matcher(json);
    while (projection.find()) {
      events.put(projection.group(1), Long.parseLong(projection.group(2)));
      shown.add(
          String.format(
              Locale.ROOT,
              "%s %s events (%.1f s)",
              projection.group(1),
              projection.group(2),
              Double.parseDouble(projection.group(3))));
    }
    if (shown.isEmpty()) {
      return Lag.unknown("no projection listed");
    }
    return new Lag(events, true, String.join(", ", shown) + " behind the event topic");
  }

  private static double number(String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
