package io.ledgerline.infra.bench;

import io.ledgerline.infra.localstack.LocalStack;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The phases of single long operations: P5 replay and audit (rebuild, verification, export,
 * reconciliation) and P6 the whole stack (memory, restart to ready).
 */
final class OperationPhases {

  private static final Duration LONG_REQUEST = Duration.ofMinutes(30);
  private static final Duration REBUILD_TIMEOUT = Duration.ofMinutes(60);

  private final BenchContext context;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** Rebuild progress seen while it ran, for the P5 chart: (seconds since start, events). */
  final List<double[]> rebuildProgress = new ArrayList<>();

  /** How P5 filled the store for {@code --p5-events}, for results.json; empty without it. */
  final Map<String, Object> seeding = new LinkedHashMap<>();

  OperationPhases(BenchContext context) {
    this.context = context;
  }

  /**
   * P5: replay and audit. Each step a result of its own; {@code copy} is the raw limit. With {@code
   * --p5-events}, the store is filled up to it first and the pipeline given time to catch up.
   */
  List<PhaseResult> replayAndAudit(RawLimits raw) throws Exception {
    List<PhaseResult> results = new ArrayList<>();
    long seeded = context.options.p5Events() > 0 ? seed(raw) : 0;
    long events = raw.events();
    context.out.printf("  event store: %,d events%n", events);
    if (!seeding.isEmpty()) {
      seeding.put("eventsAtP5", events);
    }
    PhaseResult copy = null;
    if (context.options.raw()) {
      ProcessSampler.Window window = context.sampler.open();
      copy = raw.postgresCopy();
      copy.resources = window.close();
      results.add(copy);
    }
    results.add(rebuild(copy));
    results.add(verify());
    results.add(export(copy));
    results.add(reconcile());
    for (PhaseResult result : results) {
      result.details.put("storeEvents", events);
      result.details.put("seededEvents", seeded);
    }
    return results;
  }

  /** Fills the store up to {@code --p5-events}, then waits for the pipeline; the events added. */
  private long seed(RawLimits raw) throws Exception {
    StoreSeeding.Seeded seeded =
        new StoreSeeding(raw, context.out, context.identities.subject("seed"))
            .fillTo(context.options.p5Events());
    long appendedAt = System.nanoTime();
    seeding.put("p5Events", context.options.p5Events());
    seeding.put("eventsBefore", seeded.before());
    seeding.put("seededEvents", seeded.events());
    seeding.put("seededAccounts", seeded.accounts());
    seeding.put("eventsPerAccount", StoreSeeding.EVENTS_PER_ACCOUNT);
    seeding.put("accountPrefix", seeded.prefix());
    seeding.put("insertSeconds", seeded.seconds());
    // Also without seeding: the earlier phases' events may still be on their way.
    seeding.put(
        "catchUpSeconds", new PipelineCatchUp(context.config, context.out).await(appendedAt));
    return seeded.events();
  }

  private PhaseResult rebuild(PhaseResult copy) throws Exception {
    PhaseResult result =
        new PhaseResult(
            "P5-rebuild", "rebuild of the " + context.options.projection() + " read model");
    result.unit = "events/s";
    ProcessSampler.Window window = context.sampler.open();
    long started = System.nanoTime();
    HttpResponse<String> start =
        send(
            "POST",
            "/api/v1/admin/rebuilds",
            context.identities.adminToken(),
            "{\"projection\":\"" + context.options.projection() + "\"}");
    count(result, start.statusCode());
    String rebuildId = Json.string(start.body(), "rebuildId").orElse(null);
    if (start.statusCode() / 100 != 2 || rebuildId == null) {
      result.notes.add("not started: " + start.statusCode() + " " + start.body());
      result.resources = window.close();
      return result;
    }
    String progress = "";
    double switchedAfter = -1;
    long deadline = started + REBUILD_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Thread.sleep(500);
      HttpResponse<String> answer =
          send("GET", "/api/v1/admin/rebuilds/" + rebuildId, context.identities.adminToken(), null);
      if (answer.statusCode() != 200) {
        count(result, answer.statusCode());
        continue;
      }
      progress = answer.body();
      double at = (System.nanoTime() - started) / 1e9;
      rebuildProgress.add(new double[] {at, Json.number(progress, "eventsProcessed").orElse(0.0)});
      String phase = Json.string(progress, "phase").orElse("");
      if (switchedAfter < 0 && !phase.equals("REPLAYING") && !phase.equals("CHECKING")) {
        switchedAfter = at;
      }
      if (Json.bool(progress, "done").orElse(false) || phase.equals("FAILED")) {
        break;
      }
    }
    result.seconds = (System.nanoTime() - started) / 1e9;
    result.resources = window.close();
    String phase = Json.string(progress, "phase").orElse("unknown");
    long processed = Json.number(progress, "eventsProcessed").orElse(0.0).longValue();
    result.details.put("rebuildId", rebuildId);
    result.details.put("phase", phase);
    result.details.put("eventsProcessed", processed);
    result.details.put(
        "serverEventsPerSecond", Json.number(progress, "eventsPerSecond").orElse(null));
    result.details.put("secondsToSwitch", switchedAfter < 0 ? null : switchedAfter);
    result.details.put("secondsUntilDone", result.seconds);
    Json.string(progress, "error").ifPresent(error -> result.notes.add("error: " + error));
    if (phase.equals("SWITCHED")) {
      result.done = processed;
      // The replay's own rate as the service measured it: the tail after the switch is a wait.
      result.rate = Json.number(progress, "eventsPerSecond").orElse(null);
      result.ratioTo(copy);
      HttpResponse<String> deleted =
          send(
              "DELETE",
              "/api/v1/admin/rebuilds/" + rebuildId + "/previous-index",
              context.identities.adminToken(),
              null);
      result.notes.add(
          deleted.statusCode() == 200
              ? "the replaced index was deleted afterwards"
              : "the replaced index was not deleted: " + deleted.statusCode());
    } else {
      result.notes.add("did not finish with SWITCHED: " + progress);
    }
    return result;
  }

  private PhaseResult verify() throws Exception {
    PhaseResult result = new PhaseResult("P5-verify", "integrity verification of the event store");
    result.unit = "events/s";
    ProcessSampler.Window window = context.sampler.open();
    long started = System.nanoTime();
    HttpResponse<String> answer =
        send("POST", "/api/v1/audit/verify", context.identities.auditorToken(), "{}");
    result.seconds = (System.nanoTime() - started) / 1e9;
    result.resources = window.close();
    count(result, answer.statusCode());
    if (answer.statusCode() == 200) {
      long checked = Json.number(answer.body(), "checked").orElse(0.0).longValue();
      result.done = checked;
      result.rate = checked / result.seconds;
      result.details.put("valid", Json.bool(answer.body(), "valid").orElse(null));
    } else {
      result.notes.add("answer: " + answer.body());
    }
    return result;
  }

  private PhaseResult export(PhaseResult copy) throws Exception {
    PhaseResult result = new PhaseResult("P5-export", "NDJSON export of every event");
    result.unit = "events/s";
    ProcessSampler.Window window = context.sampler.open();
    long started = System.nanoTime();
    HttpResponse<InputStream> answer =
        http.send(
            request("GET", "/api/v1/audit/export", context.identities.auditorToken(), null),
            HttpResponse.BodyHandlers.ofInputStream());
    RawLimits.CountingStream counter = new RawLimits.CountingStream();
    try (InputStream body = answer.body()) {
      body.transferTo(counter);
    }
    result.seconds = (System.nanoTime() - started) / 1e9;
    result.resources = window.close();
    count(result, answer.statusCode());
    if (answer.statusCode() == 200) {
      result.done = counter.lines;
      result.rate = counter.lines / result.seconds;
      result.details.put("bytes", counter.bytes);
      result.details.put("megabytesPerSecond", counter.bytes / 1048576.0 / result.seconds);
      result.ratioTo(copy);
    }
    return result;
  }

  private PhaseResult reconcile() throws Exception {
    PhaseResult result =
        new PhaseResult("P5-reconcile", "reconciliation: read models against the event store");
    result.unit = "events/s";
    ProcessSampler.Window window = context.sampler.open();
    long started = System.nanoTime();
    HttpResponse<String> answer =
        send("POST", "/api/v1/admin/reconciliation", context.identities.adminToken(), null);
    result.seconds = (System.nanoTime() - started) / 1e9;
    result.resources = window.close();
    count(result, answer.statusCode());
    if (answer.statusCode() == 200) {
      long events = Json.number(answer.body(), "events").orElse(0.0).longValue();
      result.done = events;
      result.rate = events / result.seconds;
      result.details.put("clean", Json.bool(answer.body(), "clean").orElse(null));
      result.details.put(
          "accountsChecked", Json.number(answer.body(), "accountsChecked").orElse(null));
      result.details.put(
          "differencesTotal", Json.number(answer.body(), "differencesTotal").orElse(null));
    } else {
      result.notes.add("answer: " + answer.body());
    }
    return result;
  }

  /**
   * P6: the whole stack. Its memory now (each part and the sum); with {@code --restart}, each
   * service stopped and started through the launcher, timed until its readiness probe answers.
   */
  PhaseResult wholeStack() {
    PhaseResult result = new PhaseResult("P6", "whole stack: memory and restart to ready");
    result.unit = "";
    Map<String, ProcessSampler.Usage> now = context.sampler.now();
    result.resources = now;
    double total = 0;
    Map<String, Object> memory = new LinkedHashMap<>();
    for (String part : ProcessSampler.PARTS) {
      ProcessSampler.Usage usage = now.get(part);
      if (part.equals("bench") || usage == null || usage.maxMemoryMb() == null) {
        continue;
      }
      memory.put(part, usage.maxMemoryMb());
      total += usage.maxMemoryMb();
    }
    result.details.put("memoryMb", memory);
    result.details.put("totalMemoryMb", total);
    if (context.options.restart()) {
      Map<String, Object> restarts = new LinkedHashMap<>();
      LocalStack stack = new LocalStack(context.config, context.out);
      for (String service : List.of("command-side", "query-side")) {
        long started = System.nanoTime();
        try {
          stack.restart(service);
          restarts.put(service, (System.nanoTime() - started) / 1e9);
        } catch (IOException | RuntimeException e) {
          restarts.put(service, null);
          result.notes.add("restart of " + service + " failed: " + firstLine(e.getMessage()));
        }
      }
      result.details.put("restartToReadySeconds", restarts);
    } else {
      result.notes.add("services not restarted (--restart=false)");
    }
    return result;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  private static void count(PhaseResult result, int status) {
    String label = Integer.toString(status);
    result.statuses.merge(label, 1L, Long::sum);
    if (status / 100 != 2) {
      result.other.merge(label, 1L, Long::sum);
    }
  }

  private HttpResponse<String> send(String method, String path, String token, String json)
      throws IOException, InterruptedException {
    return http.send(request(method, path, token, json), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(String method, String path, String token, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(context.config.queryUrl() + path))
            .timeout(LONG_REQUEST)
            .header("Authorization", "Bearer " + token);
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    return request
        .method(
            method,
            json == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json))
        .build();
  }
}
