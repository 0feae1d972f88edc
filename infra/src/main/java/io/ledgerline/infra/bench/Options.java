package io.ledgerline.infra.bench;

import io.ledgerline.infra.localstack.StackConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark's settings, from {@code --name=value} flags (the stack's own flags, such as {@code
 * --home} or {@code --command-port}, are read by {@link StackConfig}).
 *
 * @param clients concurrent clients of the load phases
 * @param seconds measured seconds of each load phase
 * @param warmup unmeasured seconds before each load phase
 * @param phases which phases run, in order
 * @param out the folder of results.json and the charts
 * @param addressesPerClient loopback source addresses per client
 * @param subjectsPerClient token subjects per client
 * @param limitPerSubject the services' limit per (address, subject) a second, for the report
 * @param limitPerAddress the services' limit per address a second, for the report
 * @param freshnessRate deposits a second during P3; 0 for half of P1's rate
 * @param probers P3's concurrent freshness probes
 * @param pollMillis pause between two polls (P2's transfer status, P3's account)
 * @param restart whether P6 restarts each service to time its way back to ready
 * @param raw whether the raw limits (PostgreSQL inserts and COPY, Kafka produce, Elasticsearch GET)
 *     are measured
 * @param projection the read model P5 rebuilds
 * @param p5Events the events P5 tops the store up to before it replays it; 0 to replay what is
 *     stored
 * @param invalidLoadTokens send the load with tokens the services reject (checks 2xx-only counting)
 * @param jitSettle after the warm-up, keep each load phase's load going until the services' JIT
 *     compilers have settled ({@link JitSettling})
 * @param jitSettleMaxSeconds the longest that wait may take
 */
record Options(
    int clients,
    int seconds,
    int warmup,
    List<String> phases,
    Path out,
    int addressesPerClient,
    int subjectsPerClient,
    int limitPerSubject,
    int limitPerAddress,
    double freshnessRate,
    int probers,
    int pollMillis,
    boolean restart,
    boolean raw,
    String projection,
    int p5Events,
    boolean invalidLoadTokens,
    boolean jitSettle,
    int jitSettleMaxSeconds) {

  static final List<String> ALL_PHASES = List.of("P1", "P2", "P3", "P4", "P5", "P6");

  /** The flags this program reads, with their meaning, for {@code --help}. */
  static final Map<String, String> FLAGS = new LinkedHashMap<>();

  static {
    FLAGS.put("clients", "concurrent clients of the load phases (default 16)");
    FLAGS.put("seconds", "measured seconds of each load phase (default 15)");
    FLAGS.put(
        "warmup",
        "unmeasured warm-up seconds before each load phase (default 5); the raw PostgreSQL and"
            + " Kafka phases take at most 30 s of it");
    FLAGS.put("phase", "phases to run, e.g. P1,P3 (default all: P1,P2,P3,P4,P5,P6)");
    FLAGS.put("out", "folder for results.json and the charts (default <repo>/target/bench)");
    FLAGS.put("addresses-per-client", "loopback source addresses per client (default 4)");
    FLAGS.put("subjects-per-client", "token subjects per client (default 8)");
    FLAGS.put("limit-per-subject", "the services' per (address, subject) limit (default 500/s)");
    FLAGS.put("limit-per-address", "the services' per-address limit (default 2000/s)");
    FLAGS.put("rate", "P3's deposits a second (default: half of P1's rate)");
    FLAGS.put("probers", "P3's concurrent freshness probes (default 2)");
    FLAGS.put("poll-ms", "pause between polls in P2 and P3 (default 5)");
    FLAGS.put("restart", "P6 restarts each service and times it (default true)");
    FLAGS.put("raw", "measure the raw limits: PostgreSQL, Kafka, Elasticsearch (default true)");
    FLAGS.put("projection", "the read model P5 rebuilds (default accounts)");
    FLAGS.put(
        "p5-events",
        "events P5 tops the store up to first, e.g. 221000 (default 0: what is stored)");
    FLAGS.put("invalid-load-tokens", "send the load with rejected tokens (default false)");
    FLAGS.put(
        "jit-settle",
        "after --warmup, keep the load going until the services' JIT compilers have settled"
            + " (default false)");
    FLAGS.put("jit-settle-max", "the longest --jit-settle waits, in seconds (default 2400)");
  }

  static Options parse(Map<String, String> flags, StackConfig config) {
    int clients = positive(flags, "clients", 16);
    List<String> phases = phases(flags.getOrDefault("phase", "all"));
    int p5Events = nonNegative(flags, "p5-events", 0);
    if (p5Events > 0 && !phases.contains("P5")) {
      throw new IllegalArgumentException(
          "--p5-events fills the store for P5, which --phase leaves out");
    }
    Path out =
        flags.containsKey("out")
            ? config.repo().resolve(flags.get("out")).toAbsolutePath().normalize()
            : config.repo().resolve("target").resolve("bench");
    return new Options(
        clients,
        positive(flags, "seconds", 15),
        nonNegative(flags, "warmup", 5),
        phases,
        out,
        positive(flags, "addresses-per-client", 4),
        positive(flags, "subjects-per-client", 8),
        positive(flags, "limit-per-subject", 500),
        positive(flags, "limit-per-address", 2000),
        Double.parseDouble(flags.getOrDefault("rate", "0")),
        positive(flags, "probers", 2),
        positive(flags, "poll-ms", 5),
        Boolean.parseBoolean(flags.getOrDefault("restart", "true")),
        Boolean.parseBoolean(flags.getOrDefault("raw", "true")),
        flags.getOrDefault("projection", "accounts"),
        p5Events,
        Boolean.parseBoolean(flags.getOrDefault("invalid-load-tokens", "false")),
        Boolean.parseBoolean(flags.getOrDefault("jit-settle", "false")),
        positive(flags, "jit-settle-max", 2400));
  }

  Duration measure() {
    return Duration.ofSeconds(seconds);
  }

  Duration warmupDuration() {
    return Duration.ofSeconds(warmup);
  }

  Duration jitSettleLimit() {
    return Duration.ofSeconds(jitSettleMaxSeconds);
  }

  boolean runs(String phase) {
    return phases.contains(phase);
  }

  /** Source addresses each client uses: its subjects are paired with them in turn. */
  int addressesUsedPerClient() {
    return Math.min(subjectsPerClient, addressesPerClient);
  }

  /**
   * Requests a second the load can send before the rate limiter answers 429. Spread over loopback
   * addresses, each client has its own: {@code min(addresses × per-address, subjects ×
   * per-subject)} each. Otherwise all clients share one address.
   */
  long ceiling(boolean spread) {
    long subjects = (long) clients * subjectsPerClient;
    if (!spread) {
      return Math.min(limitPerAddress, subjects * limitPerSubject);
    }
    long perClient =
        Math.min(
            (long) addressesUsedPerClient() * limitPerAddress,
            (long) subjectsPerClient * limitPerSubject);
    return perClient * clients;
  }

  private static List<String> phases(String value) {
    if (value.equalsIgnoreCase("all")) {
      return ALL_PHASES;
    }
    Set<String> chosen = new LinkedHashSet<>();
    for (String part : value.split(",")) {
      String phase = part.trim().toUpperCase(Locale.ROOT);
      if (!phase.startsWith("P")) {
        phase = "P" + phase;
      }
      if (!ALL_PHASES.contains(phase)) {
        throw new IllegalArgumentException(
            "--phase: unknown phase " + part + "; one of " + ALL_PHASES);
      }
      chosen.add(phase);
    }
    // Always in the documented order: P3 uses P1's rate, P5 replays what the others wrote.
    return ALL_PHASES.stream().filter(chosen::contains).toList();
  }

  private static int positive(Map<String, String> flags, String name, int fallback) {
    int value = nonNegative(flags, name, fallback);
    if (value == 0) {
      throw new IllegalArgumentException("--" + name + " must be at least 1");
    }
    return value;
  }

  private static int nonNegative(Map<String, String> flags, String name, int fallback) {
    String text = flags.getOrDefault(name, Integer.toString(fallback));
    try {
      int value = Integer.parseInt(text);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number, not " + text);
    }
  }
}
