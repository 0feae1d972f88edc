package io.ledgerline.infra.localstack;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far behind each service is, for {@code status}: the command side's event processors (from its
 * open Prometheus scrape) and the query side's projections ({@code GET /api/v1/projections}, with
 * an operator token minted from the stack's development key). Never throws: a figure that cannot be
 * read is "unknown", with the reason.
 */
final class ServiceLag {

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

  /** The command side's processors, e.g. "kafka-publisher 0 events, transfer-process 2 events". */
  static String commandSide(StackConfig config) {
    return Probes.httpBody(config.commandUrl() + "/actuator/prometheus")
        .map(ServiceLag::processors)
        .orElse("unknown (no answer from /actuator/prometheus)");
  }

  /** The query side's projections, e.g. "accounts 0 events (0.0 s), transfers 3 events (1.2 s)". */
  static String querySide(StackConfig config, DevTokens tokens) {
    // Never creates a key: one made now would not be the one the running services trust.
    if (!tokens.hasKeys()) {
      return "unknown (no development key in " + tokens.publicKey().getParent() + ")";
    }
    String token;
    try {
      token = tokens.issue("ledgerline-cli", List.of("operator"), Duration.ofMinutes(1));
    } catch (IOException e) {
      return "unknown (cannot mint a token: " + e.getMessage() + ")";
    }
    return Probes.httpBody(config.queryUrl() + "/api/v1/projections", token)
        .map(ServiceLag::projections)
        .orElse("unknown (no answer from /api/v1/projections)");
  }

  /** The processors' lag in a Prometheus scrape, by name. */
  static String processors(String scrape) {
    Map<String, String> lags = new TreeMap<>();
    Matcher processor = PROCESSOR.matcher(scrape);
    while (processor.find()) {
      lags.put(processor.group(1), events(processor.group(2)));
    }
    if (lags.isEmpty()) {
      return "unknown (no event processor has reported yet)";
    }
    List<String> shown = new ArrayList<>();
    lags.forEach((name, lag) -> shown.add(name + " " + lag));
    return String.join(", ", shown) + " behind the event store";
  }

  /** The projections' lag in the answer of {@code GET /api/v1/projections}, in its order. */
  static String projections(String json) {
    List<String> shown = new ArrayList<>();
    Matcher projection = PROJECTION.matcher(json);
    while (projection.find()) {
      shown.add(
          String.format(
              Locale.ROOT,
              "%s %s events (%.1f s)",
              projection.group(1),
              projection.group(2),
              Double.parseDouble(projection.group(3))));
    }
    if (shown.isEmpty()) {
      return "unknown (no projection listed)";
    }
    return String.join(", ", shown) + " behind the event topic";
  }

  private static String events(String value) {
    try {
      double lag = Double.parseDouble(value);
      return Double.isNaN(lag) ? "unknown" : (long) lag + " events";
    } catch (NumberFormatException e) {
      return "unknown";
    }
  }
}
