package io.ledgerline.infra.bench;

import io.ledgerline.infra.localstack.DevTokens;
import io.ledgerline.infra.localstack.StackConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code infra/bin/ledgerline bench}: measures the running local stack and, in the same run, the
 * raw limits of its parts, and reports both with their ratio (absolute rates differ between
 * machines; the ratio travels). Phases: P1 deposits, P2 transfers, P3 freshness, P4 query reads, P5
 * replay and audit, P6 the whole stack. Only 2xx answers (or a transfer seen COMPLETED) count as
 * done; every other answer is reported by its status. Prints a table, writes {@code results.json}
 * and a chart per load phase to {@code --out} (default {@code <repo>/target/bench}). Nothing here
 * asserts a time: the figures are for people to compare.
 */
public final class Benchmark {

  private Benchmark() {}

  public static void main(String[] args) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(help());
      System.exit(0);
    }
    try {
      Map<String, String> flags = StackConfig.parseFlags(args, 0);
      StackConfig config = StackConfig.resolve(flags, System.getenv());
      Outcome outcome = run(config, flags, System.out);
      System.exit(outcome.failures().isEmpty() ? 0 : 1);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage() + "\n");
      System.err.print(help());
      System.exit(2);
    } catch (IllegalStateException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(1);
    } catch (Exception e) {
      System.err.println("bench: failed: " + e);
      e.printStackTrace(System.err);
      System.exit(1);
    }
  }

  static String help() {
    StringBuilder help =
        new StringBuilder(
            "usage: infra/bin/ledgerline bench [--flag=value ...]   (the stack must be up)\n\n");
    Options.FLAGS.forEach(
        (flag, meaning) -> help.append(String.format("  --%-22s %s%n", flag, meaning)));
    help.append("  and the stack's own flags (--home, --command-port, ...), as for 'up'\n");
    return help.toString();
  }

  /**
   * Runs the benchmark against the stack of {@code config} with {@code args} ({@code --clients=2}
   * ...) and returns the results.json it wrote.
   */
  public static Path run(StackConfig config, PrintStream out, String... args) throws Exception {
    return run(config, StackConfig.parseFlags(args, 0), out).results();
  }

  /** Where the results went, and the phases that failed (the others were still measured). */
  record Outcome(Path results, List<String> failures) {}

  static Outcome run(StackConfig config, Map<String, String> flags, PrintStream out)
      throws Exception {
    System.setProperty("java.awt.headless", "true");
    Options options = Options.parse(flags, config);
    Instant startedAt = Instant.now();
    String runId = Long.toString(startedAt.toEpochMilli(), 36);
    Files.createDirectories(options.out());
    requireUp(config);

    Map<String, Object> machine = Machine.describe();
    RawLimits raw = new RawLimits(config, options, out);
    Map<String, String> postgres = raw.settings();
    // Several source addresses need the services on this machine's loopback, and aliases of it.
    boolean spread =
        BenchHttp.Target.of(config.commandUrl()).loopback()
            && BenchHttp.Target.of(config.queryUrl()).loopback()
            && Identities.loopbackAliasesWork();
    Identities identities = new Identities(options, new DevTokens(config), runId, spread);
    long ceiling = options.ceiling(spread);
    int addresses = spread ? options.clients() * options.addressesUsedPerClient() : 1;

    out.printf("Ledgerline benchmark %s, %s%n", runId, startedAt);
    out.println("machine: " + Machine.line(machine));
    out.printf(
        "stack:   command side %s, query side %s, PostgreSQL %s (fsync %s, synchronous_commit %s),"
            + " Kafka %s, Elasticsearch %s%n",
        config.commandUrl(),
        config.queryUrl(),
        postgres.get("server_version"),
        postgres.get("fsync"),
        postgres.get("synchronous_commit"),
        config.kafkaBootstrap(),
        config.elasticsearchUrl());
    out.printf(
        "load:    %d clients, %d s measured per phase after %d s warm-up%s; each client sends from"
            + " %s with %d token subjects in turn%n",
        options.clients(),
        options.seconds(),
        options.warmup(),
        options.jitSettle()
            ? " and until the services' JIT compilers settle (at most "
                + options.jitSettleMaxSeconds()
                + " s)"
            : "",
        spread
            ? options.addressesUsedPerClient() + " loopback addresses of its own (127.0.0.2 on)"
            : "one address shared by all clients",
        options.subjectsPerClient());
    String limiter =
        String.format(
            Locale.ROOT,
            "rate limit %,d/s per (address, subject) and %,d/s per address (--limit-per-subject,"
                + " --limit-per-address if the stack runs with others): this load's ceiling is"
                + " %,d requests/s, so the limiter does not bind below it; any 429 is reported",
            options.limitPerSubject(),
            options.limitPerAddress(),
            ceiling);
    if (!spread) {
      limiter +=
          "; all load comes from one address: to measure beyond "
              + String.format(Locale.ROOT, "%,d", ceiling)
              + "/s, start the services with LEDGERLINE_API_RATE_LIMIT_PER_ADDRESS_PER_SECOND"
              + " raised";
    }
    out.println("limits:  " + limiter);
    if (options.invalidLoadTokens()) {
      out.println("tokens:  the load's tokens are signed with a key the services do not know");
    }
    out.println();

    List<PhaseResult> results = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<String> chartFailures = new ArrayList<>();
    Map<String, Object> p5Seeding = new LinkedHashMap<>();
    try (ProcessSampler sampler = new ProcessSampler(config)) {
      BenchContext context = new BenchContext(config, options, identities, out, sampler);
      LoadPhases load = new LoadPhases(context);
      OperationPhases operations = new OperationPhases(context);

      PhaseResult rawInserts = null;
      boolean commandPhases = options.runs("P1") || options.runs("P2") || options.runs("P3");
      if (options.raw() && commandPhases) {
        out.println("raw PostgreSQL inserts ...");
        rawInserts =
            single(
                attempt(
                    "raw-postgres-inserts",
                    out,
                    failures,
                    () -> measured(sampler, raw::postgresInserts)));
        finish(out, results, rawInserts);
        out.println("raw Kafka produce ...");
        finish(
            out,
            results,
            single(
                attempt(
                    "raw-kafka-produce",
                    out,
                    failures,
                    () -> measured(sampler, raw::kafkaProduce))));
      }
      PhaseResult deposits = null;
      if (options.runs("P1")) {
        out.println("P1 deposits ...");
        deposits =
            single(
                attempt(
                    "P1",
                    out,
                    failures,
                    () -> List.of(load.deposits("P1", options.clients(), true))));
        if (deposits != null) {
          deposits.ratioTo(rawInserts);
          chart(options, deposits, deposits.series, "deposit latency", chartFailures);
        }
        finish(out, results, deposits);
      }
      if (options.runs("P2")) {
        out.println("P2 transfers ...");
        PhaseResult transfers =
            single(attempt("P2", out, failures, () -> List.of(load.transfers())));
        if (transfers != null) {
          transfers.ratioTo(rawInserts);
          chart(options, transfers, transfers.series, "request to COMPLETED", chartFailures);
        }
        finish(out, results, transfers);
      }
      if (options.runs("P3")) {
        PhaseResult calibration = deposits;
        PhaseResult freshness =
            single(
                attempt(
                    "P3",
                    out,
                    failures,
                    () -> List.of(freshness(options, load, out, calibration))));
        if (freshness != null) {
          chart(options, freshness, load.freshnessSeries, "freshness", chartFailures);
        }
        finish(out, results, freshness);
      }
      if (options.runs("P4")) {
        out.println("P4 query reads ...");
        for (PhaseResult read : attempt("P4", out, failures, () -> load.reads(raw))) {
          if (!read.id.startsWith("raw-")) {
            chart(options, read, read.series, "read latency", chartFailures);
          }
          finish(out, results, read);
        }
      }
      if (options.runs("P5")) {
        out.println("P5 replay and audit ...");
        for (PhaseResult step :
            attempt("P5", out, failures, () -> operations.replayAndAudit(raw))) {
          if (step.id.equals("P5-rebuild") && !operations.rebuildProgress.isEmpty()) {
            try {
              Path file = options.out().resolve("P5-rebuild.png");
              Charts.drawProgress(file, "P5 rebuild: " + step.title, operations.rebuildProgress);
              step.chart = file.getFileName().toString();
            } catch (Exception | LinkageError | java.awt.AWTError e) {
              chartFailures.add("P5-rebuild: " + e);
            }
          }
          finish(out, results, step);
        }
        p5Seeding.putAll(operations.seeding);
      }
      if (options.runs("P6")) {
        out.println("P6 whole stack ...");
        finish(
            out,
            results,
            single(attempt("P6", out, failures, () -> List.of(operations.wholeStack()))));
      }
    }

    Report.table(out, results);
    Report.resources(out, results);
    Map<String, Object> headline = headline(results);
    if (headline.get("depositsPerRawInsert") instanceof Double ratio) {
      out.printf(
          Locale.ROOT,
          "%nheadline: %.3f deposits per raw PostgreSQL insert (same machine, same run)%n",
          ratio);
    }
    for (String failure : chartFailures) {
      out.println("chart not drawn: " + failure);
    }
    for (String failure : failures) {
      out.println("phase failed: " + failure);
    }

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("benchmark", "ledgerline");
    json.put("runId", runId);
    json.put("startedAt", startedAt.toString());
    json.put("finishedAt", Instant.now().toString());
    json.put("machine", machine);
    Map<String, Object> stack = new LinkedHashMap<>();
    stack.put("commandUrl", config.commandUrl());
    stack.put("queryUrl", config.queryUrl());
    stack.put("jdbcUrl", config.jdbcUrl());
    stack.put("kafka", config.kafkaBootstrap());
    stack.put("elasticsearch", config.elasticsearchUrl());
    stack.put("postgres", postgres);
    json.put("stack", stack);
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("clients", options.clients());
    settings.put("seconds", options.seconds());
    settings.put("warmupSeconds", options.warmup());
    settings.put("jitSettle", options.jitSettle());
    settings.put("jitSettleMaxSeconds", options.jitSettleMaxSeconds());
    settings.put("phases", options.phases());
    settings.put("addressesPerClient", options.addressesPerClient());
    settings.put("subjectsPerClient", options.subjectsPerClient());
    settings.put("pollMillis", options.pollMillis());
    settings.put("probers", options.probers());
    settings.put("restart", options.restart());
    settings.put("invalidLoadTokens", options.invalidLoadTokens());
    settings.put("p5Events", options.p5Events());
    json.put("settings", settings);
    Map<String, Object> rateLimit = new LinkedHashMap<>();
    rateLimit.put("perSubjectPerSecond", options.limitPerSubject());
    rateLimit.put("perAddressPerSecond", options.limitPerAddress());
    rateLimit.put("sourceAddresses", addresses);
    rateLimit.put("subjects", options.clients() * options.subjectsPerClient());
    rateLimit.put("loadCeilingPerSecond", ceiling);
    rateLimit.put(
        "answered429", results.stream().mapToLong(r -> r.statuses.getOrDefault("429", 0L)).sum());
    rateLimit.put("statement", limiter);
    json.put("rateLimit", rateLimit);
    json.put("headline", headline);
    json.put("p5Seeding", p5Seeding);
    json.put(
        "raw",
        results.stream().filter(r -> r.id.startsWith("raw-")).map(PhaseResult::toJson).toList());
    json.put(
        "phases",
        results.stream().filter(r -> !r.id.startsWith("raw-")).map(PhaseResult::toJson).toList());
    json.put("failures", failures);
    json.put("chartFailures", chartFailures);
    Path file = options.out().resolve("results.json");
    Files.writeString(file, Json.write(json));
    out.println();
    out.println("results: " + file);
    return new Outcome(file, failures);
  }

  private static Map<String, Object> headline(List<PhaseResult> results) {
    Map<String, Object> headline = new LinkedHashMap<>();
    for (PhaseResult result : results) {
      if (result.ratio != null) {
        String name =
            switch (result.id) {
              case "P1" -> "depositsPerRawInsert";
              case "P2" -> "completedTransfersPerRawInsert";
              case "P4-id" -> "readsByIdPerRawElasticsearchGet";
              case "P5-rebuild" -> "rebuildEventsPerCopiedRow";
              case "P5-export" -> "exportedEventsPerCopiedRow";
              default -> result.id + "PerRaw";
            };
        headline.put(name, result.ratio);
      }
    }
    return headline;
  }

  private static void finish(PrintStream out, List<PhaseResult> results, PhaseResult result) {
    if (result != null) {
      results.add(result);
      Report.progress(out, result);
    }
  }

  /** One phase's work; its results, or an exception that ends only this phase. */
  @FunctionalInterface
  private interface PhaseWork {
    List<PhaseResult> run() throws Exception;
  }

  /** Runs a phase; a failure is printed, kept for results.json, and the next phase runs. */
  private static List<PhaseResult> attempt(
      String id, PrintStream out, List<String> failures, PhaseWork work)
      throws InterruptedException {
    try {
      return work.run();
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      failures.add(id + ": " + e);
      out.println("  " + id + " failed: " + e);
      return List.of();
    }
  }

  private static PhaseResult single(List<PhaseResult> results) {
    return results.isEmpty() ? null : results.get(0);
  }

  @FunctionalInterface
  private interface RawWork {
    PhaseResult run() throws Exception;
  }

  private static List<PhaseResult> measured(ProcessSampler sampler, RawWork work) throws Exception {
    ProcessSampler.Window window = sampler.open();
    PhaseResult result = work.run();
    result.resources = window.close();
    return List.of(result);
  }

  /** P3 at {@code --rate}, else half of P1's rate, else half of a short calibration run's. */
  private static PhaseResult freshness(
      Options options, LoadPhases load, PrintStream out, PhaseResult deposits) throws Exception {
    double rate = options.freshnessRate();
    String basis = "--rate";
    if (rate <= 0 && deposits != null && deposits.rate != null && deposits.rate > 0) {
      rate = deposits.rate / 2;
      basis = "half of P1's rate";
    }
    if (rate <= 0) {
      out.println("P3 needs P1's rate: a short unrecorded P1 first ...");
      PhaseResult calibration = load.deposits("P3-calibration", options.clients(), false);
      rate = Math.max(1, calibration.rate / 2);
      basis = "half of a " + options.seconds() + " s calibration run of P1";
    }
    out.printf(Locale.ROOT, "P3 freshness at %.1f deposits/s (%s) ...%n", rate, basis);
    PhaseResult freshness = load.freshness(rate);
    freshness.details.put("rateBasis", basis);
    return freshness;
  }

  private static void chart(
      Options options,
      PhaseResult result,
      List<Measurement.Second> latency,
      String latencyLabel,
      List<String> failures) {
    if (result.series.isEmpty()) {
      return;
    }
    Path file = options.out().resolve(result.id + ".png");
    try {
      Charts.draw(
          file,
          result.id + ": " + result.title,
          result.unit.replace("/s", " per second"),
          result.series,
          latency,
          latencyLabel);
      result.chart = file.getFileName().toString();
    } catch (Exception | LinkageError | java.awt.AWTError e) {
      // A machine without fonts cannot draw text: the numbers still count.
      failures.add(result.id + ": " + e);
    }
  }

  /** Fails fast, before any load, when the services do not answer their readiness probes. */
  private static void requireUp(StackConfig config) {
    try (BenchHttp http = new BenchHttp()) {
      for (String url : List.of(config.commandUrl(), config.queryUrl())) {
        BenchHttp.Answer answer =
            http.send(
                BenchHttp.Target.of(url), null, "GET", "/actuator/health/readiness", null, null);
        if (answer.status() != 200) {
          throw new IllegalStateException(
              url
                  + " is not ready ("
                  + answer.label()
                  + "): start the stack with infra/bin/ledgerline up");
        }
      }
    }
  }
}
