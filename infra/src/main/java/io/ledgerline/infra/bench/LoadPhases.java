package io.ledgerline.infra.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The phases that put load on the services: P1 deposits, P2 transfers, P3 freshness, P4 reads.
 * Every client works on accounts of its own, so clients never contend for one aggregate.
 */
final class LoadPhases {

  private static final int DEPOSIT_ACCOUNTS = 4;
  private static final long TRANSFER_FUNDING = 1_000_000_000L;
  private static final long END_STATE_TIMEOUT_NANOS = 30_000_000_000L;

  /** How long the server may hold P2's status request for the transfer to be decided. */
  private static final int STATUS_WAIT_SECONDS = 10;

  private static final String DEPOSIT = "{\"amount\":1}";

  private final BenchContext context;

  /** Per-second freshness of the last P3, for its chart. */
  List<Measurement.Second> freshnessSeries = List.of();

  LoadPhases(BenchContext context) {
    this.context = context;
  }

  /** P1: deposits a second through the command API; done = a 2xx answer. */
  PhaseResult deposits(String id, int clients, boolean warm) throws Exception {
    List<List<String>> accounts = context.openAccounts(id, clients, DEPOSIT_ACCOUNTS, 0);
    var identities = context.clients(clients);
    Measurement measurement = new Measurement(context.sampler);
    Load.closedLoop(
        id,
        clients,
        warm ? context.warmup() : Load.Warmup.fixed(java.time.Duration.ZERO),
        context.options.measure(),
        measurement,
        context.out,
        (client, i, http) -> {
          Identities.Identity who = BenchContext.pick(identities, client, i);
          String account = accounts.get(client).get((int) (i % DEPOSIT_ACCOUNTS));
          long started = System.nanoTime();
          BenchHttp.Answer answer =
              http.send(
                  context.command,
                  who.source(),
                  "POST",
                  "/api/v1/accounts/" + account + "/deposits",
                  who.token(),
                  DEPOSIT);
          measurement.record(System.nanoTime() - started, answer.label(), answer.ok());
        });
    PhaseResult result =
        new PhaseResult(id, "deposits through the command API").from(measurement, clients);
    result.unit = "deposits/s";
    result.details.put("accountsPerClient", DEPOSIT_ACCOUNTS);
    return result;
  }

  /**
   * P2: transfers completed a second. A client requests a transfer between its two accounts, then
   * asks the command side's {@code GET /transfers/{id}?waitSeconds=10} until it shows COMPLETED
   * (done) or FAILED: the server answers when the transfer is decided, as a client of the API would
   * use it, so one status request per transfer is the rule and {@code statusPolls} shows otherwise.
   */
  PhaseResult transfers() throws Exception {
    int clients = context.options.clients();
    List<List<String>> accounts = context.openAccounts("P2", clients, 2, TRANSFER_FUNDING);
    var identities = context.clients(clients);
    Measurement measurement = new Measurement(context.sampler);
    Map<String, LongAdder> pollAnswers = new ConcurrentHashMap<>();
    LongAdder polls = new LongAdder();
    Load.closedLoop(
        "P2",
        clients,
        context.warmup(),
        context.options.measure(),
        measurement,
        context.out,
        (client, i, http) -> {
          Identities.Identity who = BenchContext.pick(identities, client, i);
          String from = accounts.get(client).get((int) (i % 2));
          String to = accounts.get(client).get((int) ((i + 1) % 2));
          long started = System.nanoTime();
          BenchHttp.Answer requested =
              http.send(
                  context.command,
                  who.source(),
                  "POST",
                  "/api/v1/transfers",
                  who.token(),
                  "{\"fromAccountId\":\""
                      + from
                      + "\",\"toAccountId\":\""
                      + to
                      + "\",\"amount\":1}");
          String transferId = Json.string(requested.body(), "transferId").orElse(null);
          if (!requested.ok() || transferId == null) {
            measurement.record(System.nanoTime() - started, requested.label(), false);
            return;
          }
          long n = 0;
          long pauseMillis = 0;
          while (true) {
            // Answered before the transfer was decided: after a full wait, ask again at once (after
            // the poll pause); when the server had no place to wait, when its Retry-After says.
            Thread.sleep(pauseMillis);
            Identities.Identity poller = BenchContext.pick(identities, client, i + ++n);
            BenchHttp.Answer status =
                http.send(
                    context.command,
                    poller.source(),
                    "GET",
                    "/api/v1/transfers/" + transferId + "?waitSeconds=" + STATUS_WAIT_SECONDS,
                    poller.token(),
                    null);
            polls.increment();
            pauseMillis =
                status.retryAfterSeconds() >= 0
                    ? status.retryAfterSeconds() * 1_000
                    : context.options.pollMillis();
            String state = status.ok() ? Json.string(status.body(), "status").orElse("") : "";
            if (!status.ok()) {
              pollAnswers.computeIfAbsent(status.label(), k -> new LongAdder()).increment();
            }
            long elapsed = System.nanoTime() - started;
            if (state.equals("COMPLETED")) {
              measurement.record(elapsed, "COMPLETED", true);
              return;
            }
            if (state.equals("FAILED")) {
              measurement.record(elapsed, "FAILED", false);
              return;
            }
            if (elapsed > END_STATE_TIMEOUT_NANOS) {
              measurement.record(elapsed, "not-completed-in-30s", false);
              return;
            }
          }
        });
    PhaseResult result =
        new PhaseResult("P2", "transfers completed (request to COMPLETED on GET /transfers/{id})")
            .from(measurement, clients);
    result.unit = "transfers/s";
    result.details.put("statusPolls", polls.sum());
    result.details.put("pollMillis", context.options.pollMillis());
    result.details.put("pollAnswersNot2xx", sum(pollAnswers));
    result.notes.add(
        "statuses: the request's HTTP status when it was not 2xx, else the transfer's end state");
    return result;
  }

  private record Ack(String account, long version, long at) {}

  /**
   * P3: freshness. Deposits at {@code perSecond} (open loop); probes take the newest acknowledged
   * deposit and poll the query side's {@code GET /accounts/{id}} until it shows that version. The
   * time from the command's answer to the first read that shows it is one sample.
   */
  PhaseResult freshness(double perSecond) throws Exception {
    int clients = context.options.clients();
    int probers = context.options.probers();
    List<List<String>> accounts = context.openAccounts("P3", clients, DEPOSIT_ACCOUNTS, 0);
    var identities = context.clients(clients + probers);
    Measurement acks = new Measurement(context.sampler);
    Measurement fresh = new Measurement();
    AtomicReference<Ack> newest = new AtomicReference<>();
    AtomicBoolean stop = new AtomicBoolean();
    Map<String, LongAdder> pollAnswers = new ConcurrentHashMap<>();
    LongAdder polls = new LongAdder();
    List<Thread> probes = new ArrayList<>();
    for (int p = 0; p < probers; p++) {
      int prober = clients + p;
      Thread thread =
          new Thread(
              () -> probe(prober, identities, newest, stop, fresh, pollAnswers, polls),
              "bench-P3-probe-" + p);
      thread.setDaemon(true);
      probes.add(thread);
      thread.start();
    }
    try {
      Load.openLoop(
          "P3",
          clients,
          perSecond,
          context.warmup(),
          context.options.measure(),
          List.of(acks, fresh),
          context.out,
          (client, i, http) -> {
            Identities.Identity who = BenchContext.pick(identities, client, i);
            String account = accounts.get(client).get((int) (i % DEPOSIT_ACCOUNTS));
            long started = System.nanoTime();
            BenchHttp.Answer answer =
                http.send(
                    context.command,
                    who.source(),
                    "POST",
                    "/api/v1/accounts/" + account + "/deposits",
                    who.token(),
                    DEPOSIT);
            long answered = System.nanoTime();
            acks.record(answered - started, answer.label(), answer.ok());
            if (answer.ok()) {
              Json.number(answer.body(), "version")
                  .ifPresent(v -> newest.set(new Ack(account, v.longValue(), answered)));
            }
          });
    } finally {
      stop.set(true);
      for (Thread probe : probes) {
        probe.join(60_000);
      }
    }
    PhaseResult result =
        new PhaseResult("P3", "freshness: deposit acknowledged to visible on the query side")
            .from(fresh, clients);
    result.resources = acks.resources();
    result.notes.addAll(acks.notes());
    result.unit = "deposits/s";
    result.rate = acks.rate();
    result.done = acks.doneCount();
    result.statuses = merge(acks.statuses(), fresh.statuses());
    result.other = merge(acks.otherStatuses(), fresh.otherStatuses());
    result.series = acks.series();
    result.details.put("targetDepositsPerSecond", perSecond);
    result.details.put("freshnessSamples", fresh.doneCount());
    result.details.put("probes", probers);
    result.details.put("pollMillis", context.options.pollMillis());
    result.details.put("queryReads", polls.sum());
    result.details.put("pollAnswersNot2xx", sum(pollAnswers));
    result.details.put("depositP50Millis", acks.doneMillis(50));
    result.details.put("depositP99Millis", acks.doneMillis(99));
    result.details.put("freshnessPerSecond", fresh.series());
    result.notes.add(
        "latency columns are freshness (acknowledged to visible), resolution about "
            + context.options.pollMillis()
            + " ms plus one read");
    result.notes.add("rate and done: deposits acknowledged (2xx) while freshness was sampled");
    freshnessSeries = fresh.series();
    return result;
  }

  private void probe(
      int prober,
      List<List<Identities.Identity>> identities,
      AtomicReference<Ack> newest,
      AtomicBoolean stop,
      Measurement fresh,
      Map<String, LongAdder> pollAnswers,
      LongAdder polls) {
    try (BenchHttp http = new BenchHttp()) {
      long n = 0;
      while (!stop.get()) {
        Ack ack = newest.getAndSet(null);
        if (ack == null) {
          Thread.sleep(1);
          continue;
        }
        while (!stop.get()) {
          Identities.Identity who = BenchContext.pick(identities, prober, n++);
          BenchHttp.Answer read =
              http.send(
                  context.query,
                  who.source(),
                  "GET",
                  "/api/v1/accounts/" + ack.account(),
                  who.token(),
                  null);
          polls.increment();
          long now = System.nanoTime();
          if (read.ok() && Json.number(read.body(), "version").orElse(-1.0) >= ack.version()) {
            fresh.record(now - ack.at(), "visible", true);
            break;
          }
          if (!read.ok() && read.status() != 404) {
            pollAnswers.computeIfAbsent(read.label(), k -> new LongAdder()).increment();
          }
          if (now - ack.at() > END_STATE_TIMEOUT_NANOS) {
            fresh.record(now - ack.at(), "not-visible-in-30s", false);
            break;
          }
          Thread.sleep(context.options.pollMillis());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** P4: reads a second on the query side, one kind at a time. */
  List<PhaseResult> reads(RawLimits raw) throws Exception {
    int clients = context.options.clients();
    List<List<String>> accounts = context.openAccounts("P4", clients, DEPOSIT_ACCOUNTS, 0);
    List<String> all = accounts.stream().flatMap(List::stream).toList();
    context.awaitVisible(all);
    var identities = context.clients(clients);
    List<PhaseResult> results = new ArrayList<>();
    PhaseResult rawGets = null;
    if (context.options.raw()) {
      ProcessSampler.Window window = context.sampler.open();
      rawGets = raw.elasticsearchGets(all);
      rawGets.resources = window.close();
      results.add(rawGets);
    }
    record Read(String id, String title, String unit) {}
    List<Read> kinds =
        List.of(
            new Read("P4-id", "query: GET /accounts/{id}", "reads/s"),
            new Read("P4-search", "query: GET /accounts?ownerId= (one page)", "searches/s"),
            new Read("P4-totals", "query: GET /dashboard/totals", "aggregations/s"));
    for (Read kind : kinds) {
      Measurement measurement = new Measurement(context.sampler);
      Load.closedLoop(
          kind.id(),
          clients,
          context.warmup(),
          context.options.measure(),
          measurement,
          context.out,
          (client, i, http) -> {
            Identities.Identity who = BenchContext.pick(identities, client, i);
            String path =
                switch (kind.id()) {
                  case "P4-id" ->
                      "/api/v1/accounts/" + accounts.get(client).get((int) (i % DEPOSIT_ACCOUNTS));
                  case "P4-search" ->
                      "/api/v1/accounts?ownerId=" + context.owner("P4", client) + "&size=20";
                  default -> "/api/v1/dashboard/totals";
                };
            long started = System.nanoTime();
            BenchHttp.Answer answer =
                http.send(context.query, who.source(), "GET", path, who.token(), null);
            measurement.record(System.nanoTime() - started, answer.label(), answer.ok());
          });
      PhaseResult result = new PhaseResult(kind.id(), kind.title()).from(measurement, clients);
      result.unit = kind.unit();
      if (kind.id().equals("P4-id")) {
        result.ratioTo(rawGets);
      }
      results.add(result);
    }
    return results;
  }

  private static Map<String, Long> sum(Map<String, LongAdder> adders) {
    Map<String, Long> counts = new TreeMap<>();
    adders.forEach((label, adder) -> counts.put(label, adder.sum()));
    return counts;
  }

  private static Map<String, Long> merge(Map<String, Long> first, Map<String, Long> second) {
    Map<String, Long> merged = new TreeMap<>(first);
    second.forEach((label, count) -> merged.merge(label, count, Long::sum));
    return merged;
  }
}
