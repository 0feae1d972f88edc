package io.ledgerline.infra.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The benchmark's table on stdout: one line per phase, then each phase's CPU and memory. */
final class Report {

  private static final String ROW = "%-22s %-58s %20s %9s %9s %10s  %s%n";

  private Report() {}

  /** The message for answers the rate limiter refused, or null when there were none. */
  static String rateLimited(PhaseResult result) {
    Long limited = result.statuses.get("429");
    if (limited == null || limited == 0) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "rate limited: %,d answers were 429 (limit binds: raise"
            + " LEDGERLINE_API_RATE_LIMIT_PER_SECOND and"
            + " LEDGERLINE_API_RATE_LIMIT_PER_ADDRESS_PER_SECOND in the services' environment, or"
            + " spread the load with more --subjects-per-client / --addresses-per-client)",
        limited);
  }

  /** One phase, printed as soon as it finished. */
  static void progress(PrintStream out, PhaseResult result) {
    if (result.rate == null) {
      List<String> lines = new ArrayList<>();
      if (!result.details.isEmpty()) {
        lines.add(details(result));
      }
      lines.addAll(result.notes);
      for (int i = 0; i < lines.size(); i++) {
        out.printf("  %-20s %s%n", i == 0 ? result.id : "", lines.get(i));
      }
      return;
    }
    out.printf(
        Locale.ROOT,
        "  %-20s %s%s, done %,d in %.1f s%s%n",
        result.id,
        rate(result),
        result.p50 == null
            ? ""
            : String.format(Locale.ROOT, ", p50 %s p99 %s", ms(result.p50), ms(result.p99)),
        result.done,
        result.seconds,
        result.other.isEmpty() ? "" : ", not done: " + statuses(result.other));
    String limited = rateLimited(result);
    if (limited != null) {
      out.println("  " + limited);
    }
  }

  static void table(PrintStream out, List<PhaseResult> results) {
    out.println();
    out.printf(
        Locale.ROOT,
        ROW,
        "phase",
        "what",
        "rate (done only)",
        "p50",
        "p99",
        "done",
        "not done (by status) / ratio to raw");
    for (PhaseResult result : results) {
      String tail =
          (result.other.isEmpty() ? "none" : statuses(result.other))
              + (result.ratio == null
                  ? ""
                  : String.format(Locale.ROOT, "; %.3f × %s", result.ratio, result.ratioTo));
      out.printf(
          Locale.ROOT,
          ROW,
          result.id,
          shorten(result.title, 58),
          rate(result),
          ms(result.p50),
          ms(result.p99),
          String.format(Locale.ROOT, "%,d", result.done),
          tail);
    }
    out.println();
    for (PhaseResult result : results) {
      StringBuilder details = new StringBuilder(details(result));
      if (result.id.equals("P3") && result.p50 != null) {
        details.insert(
            0,
            String.format(
                Locale.ROOT,
                "freshness p50 %s, p95 %s, p99 %s, max %s; ",
                ms(result.p50),
                ms(result.p95),
                ms(result.p99),
                ms(result.max)));
      }
      List<String> lines = new ArrayList<>();
      if (details.length() > 0) {
        lines.add(details.toString());
      }
      lines.addAll(result.notes);
      String limited = rateLimited(result);
      if (limited != null) {
        lines.add(limited);
      }
      for (int i = 0; i < lines.size(); i++) {
        out.printf("  %-20s %s%n", i == 0 ? result.id : "", lines.get(i));
      }
    }
  }

  private static String details(PhaseResult result) {
    StringBuilder details = new StringBuilder();
    result.details.forEach(
        (key, value) -> {
          if (!(value instanceof List<?>)) {
            details.append(details.length() == 0 ? "" : ", ").append(key).append(' ');
            details.append(text(value));
          }
        });
    return details.toString();
  }

  private static String text(Object value) {
    if (value instanceof Double number) {
      return format(number);
    }
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream()
          .map(entry -> entry.getKey() + " " + text(entry.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    return String.valueOf(value);
  }

  /** CPU (% of one core, average over the phase) and memory (MiB, max) of each part. */
  static void resources(PrintStream out, List<PhaseResult> results) {
    out.println();
    out.println(
        "CPU in % of one core (average over the phase) / memory in MiB (PSS, max over the phase);"
            + " other: CPU of everything else on the machine, % of one core; machine: busy and"
            + " stolen % of all cores");
    StringBuilder header = new StringBuilder(String.format("%-22s", "phase"));
    for (String part : ProcessSampler.PARTS) {
      header.append(String.format("%-17s", part));
    }
    header.append(String.format("%-8s", "other")).append("machine");
    out.println(header);
    for (PhaseResult result : results) {
      if (result.resources.isEmpty()) {
        continue;
      }
      StringBuilder row = new StringBuilder(String.format("%-22s", result.id));
      for (String part : ProcessSampler.PARTS) {
        ProcessSampler.Usage usage = result.resources.get(part);
        String cell =
            usage == null || usage.pid() == null
                ? "-"
                : (usage.cpuPercent() == null
                        ? ""
                        : String.format(Locale.ROOT, "%.0f%% ", usage.cpuPercent()))
                    + (usage.maxMemoryMb() == null
                        ? "?"
                        : String.format(Locale.ROOT, "%.0fM", usage.maxMemoryMb()));
        row.append(String.format("%-17s", cell));
      }
      row.append(String.format("%-8s", percent(result, ProcessSampler.UNATTRIBUTED)));
      row.append(percent(result, ProcessSampler.MACHINE))
          .append(" busy, ")
          .append(percent(result, ProcessSampler.STEAL))
          .append(" stolen");
      out.println(row);
    }
    cpuPerOperation(out, results);
  }

  /** Each part's CPU per done operation: the cost the rate is made of, part by part. */
  private static void cpuPerOperation(PrintStream out, List<PhaseResult> results) {
    List<PhaseResult> measured =
        results.stream()
            .filter(result -> result.cpuMillisPerOperation(ProcessSampler.UNATTRIBUTED) != null)
            .toList();
    if (measured.isEmpty()) {
      return;
    }
    out.println();
    out.println(
        "CPU per done operation, ms (each part's CPU over the phase divided by its rate; total:"
            + " every part and the rest of the machine)");
    StringBuilder header = new StringBuilder(String.format("%-22s", "phase"));
    for (String part : ProcessSampler.PARTS) {
      header.append(String.format("%-17s", part));
    }
    header.append(String.format("%-8s", "other")).append("total");
    out.println(header);
    for (PhaseResult result : measured) {
      StringBuilder row = new StringBuilder(String.format("%-22s", result.id));
      double total = 0;
      for (String part : ProcessSampler.PARTS) {
        Double millis = result.cpuMillisPerOperation(part);
        total += millis == null ? 0 : millis;
        row.append(String.format("%-17s", millis(millis)));
      }
      Double other = result.cpuMillisPerOperation(ProcessSampler.UNATTRIBUTED);
      total += other;
      row.append(String.format("%-8s", millis(other))).append(millis(total));
      out.println(row);
    }
  }

  private static String millis(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.2f", value);
  }

  private static String percent(PhaseResult result, String key) {
    ProcessSampler.Usage usage = result.resources.get(key);
    return usage == null || usage.cpuPercent() == null
        ? "-"
        : String.format(Locale.ROOT, "%.0f%%", usage.cpuPercent());
  }

  static String rate(PhaseResult result) {
    if (result.rate == null) {
      return "-";
    }
    return format(result.rate) + " " + (result.unit.isEmpty() ? "/s" : result.unit);
  }

  static String format(double value) {
    return Math.abs(value) >= 100 || value == Math.rint(value)
        ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, "%.2f", value);
  }

  static String ms(Double millis) {
    if (millis == null) {
      return "-";
    }
    return millis >= 100
        ? String.format(Locale.ROOT, "%,.0f ms", millis)
        : String.format(Locale.ROOT, "%.1f ms", millis);
  }

  static String statuses(Map<String, Long> statuses) {
    return statuses.entrySet().stream()
        .map(entry -> String.format(Locale.ROOT, "%s: %,d", entry.getKey(), entry.getValue()))
        .collect(Collectors.joining(", "));
  }

  private static String shorten(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 1) + "…";
  }
}
