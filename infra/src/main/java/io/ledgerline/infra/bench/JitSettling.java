package io.ledgerline.infra.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Waits, after a load phase's fixed warm-up, until both services' JIT compilers have settled: until
 * each spent less than {@link #MAX_COMPILING_SHARE} of a second per second compiling over the last
 * {@link #WINDOW}, read from the {@code jvm_compilation_time_ms_total} counter (the compiler
 * threads' elapsed time) on their Prometheus endpoints. At most {@code limit}; a phase measured
 * before that says so in its notes.
 *
 * <p>Why: on two cores the command side's one C2 compiler thread works off a queue of some 4,700
 * methods for over half an hour under P1's load (measured with {@code jcmd Compiler.queue}), at
 * about half a core, while the methods still waiting run as profiled C1 code. A fixed warm-up
 * measures how far that queue got, which depends on the JVMs' age more than on the code.
 */
final class JitSettling {

  static final Duration WINDOW = Duration.ofSeconds(30);
  static final double MAX_COMPILING_SHARE = 0.10;
  private static final Duration POLL = Duration.ofSeconds(5);
  private static final Duration REPORT_EVERY = Duration.ofSeconds(60);
  private static final String COUNTER = "jvm_compilation_time_ms_total";

  /** One reading of a service's compilation counter. */
  record Reading(long atNanos, double compiledMillis) {}

  private final Map<String, BenchHttp.Target> services = new LinkedHashMap<>();
  private final Duration limit;
  private final PrintStream out;

  JitSettling(BenchHttp.Target command, BenchHttp.Target query, Duration limit, PrintStream out) {
    services.put("command side", command);
    services.put("query side", query);
    this.limit = limit;
    this.out = out;
  }

  /**
   * Polls until every service has settled or {@code limit} has passed (the load keeps running
   * meanwhile) and returns what the phase's notes should say.
   */
  String await(String phase) throws InterruptedException {
    Map<String, Deque<Reading>> readings = new LinkedHashMap<>();
    services.keySet().forEach(name -> readings.put(name, new ArrayDeque<>()));
    long begin = System.nanoTime();
    long nextReport = begin + REPORT_EVERY.toNanos();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    while (true) {
      long now = System.nanoTime();
      for (var service : services.entrySet()) {
        Deque<Reading> own = readings.get(service.getKey());
        Double millis = compiledMillis(http, service.getValue());
        if (millis == null) {
          own.clear(); // Unreadable: start the window again.
        } else {
          // Stamped when read: a slow answer from the other service must not skew this rate.
          own.addLast(new Reading(System.nanoTime(), millis));
        }
        while (own.size() > 2 && own.peekFirst().atNanos() < now - WINDOW.toNanos() * 2) {
          own.removeFirst();
        }
      }
      Map<String, Double> shares = new LinkedHashMap<>();
      readings.forEach((name, own) -> shares.put(name, compilingShare(own, WINDOW)));
      boolean settled =
          shares.values().stream().allMatch(s -> s != null && s < MAX_COMPILING_SHARE);
      double waited = (now - begin) / 1e9;
      if (settled) {
        return String.format(
            Locale.ROOT,
            "warm-up: %.0f s beyond the fixed warm-up, until the JIT compilers settled (%s)",
            waited,
            describe(shares));
      }
      if (now - begin >= limit.toNanos()) {
        String note =
            String.format(
                Locale.ROOT,
                "warm-up: measured before the JIT compilers settled, after the %d s limit (%s)",
                limit.toSeconds(),
                describe(shares));
        out.println("  " + phase + ": " + note);
        return note;
      }
      if (now >= nextReport) {
        out.printf(
            Locale.ROOT,
            "  %s: waiting for the JIT compilers to settle, %.0f s so far: %s%n",
            phase,
            waited,
            describe(shares));
        nextReport += REPORT_EVERY.toNanos();
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /**
   * Seconds a service's compiler threads spent compiling per second over the last {@code window} of
   * readings, or null when the readings do not span the window yet.
   */
  static Double compilingShare(Deque<Reading> readings, Duration window) {
    if (readings.size() < 2) {
      return null;
    }
    Reading last = readings.peekLast();
    Reading first = null;
    for (Reading reading : readings) {
      if (last.atNanos() - reading.atNanos() >= window.toNanos()) {
        first = reading;
      }
    }
    if (first == null) {
      return null;
    }
    double seconds = (last.atNanos() - first.atNanos()) / 1e9;
    return Math.max(0, last.compiledMillis() - first.compiledMillis()) / 1000.0 / seconds;
  }

  /** The sum of the compilation counter's samples in a Prometheus text page, or null without. */
  static Double parseCompiledMillis(String page) {
    Double sum = null;
    for (String line : page.split("\n")) {
      if (line.startsWith(COUNTER + "{") || line.startsWith(COUNTER + " ")) {
        String value = line.substring(line.lastIndexOf(' ') + 1).trim();
        try {
          sum = (sum == null ? 0 : sum) + Double.parseDouble(value);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return sum;
  }

  // The JDK's client: the load's client asks for JSON, which the Prometheus endpoint refuses (406).
  private static Double compiledMillis(HttpClient http, BenchHttp.Target service) {
    try {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://"
                              + service.host()
                              + ":"
                              + service.port()
                              + "/actuator/prometheus"))
                  .header("Accept", "text/plain")
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return answer.statusCode() == 200 ? parseCompiledMillis(answer.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String describe(Map<String, Double> shares) {
    StringBuilder text = new StringBuilder();
    shares.forEach(
        (name, share) -> {
          if (text.length() > 0) {
            text.append(", ");
          }
          text.append(name)
              .append(' ')
              .append(
                  share == null
                      ? "not read yet"
                      : String.format(Locale.ROOT, "compiling %.0f ms a second", share * 1000));
        });
    return text.toString();
  }
}
