package io.ledgerline.infra.bench;

import io.ledgerline.infra.localstack.StackConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** What every phase works with: the stack, the settings, the identities, the two services. */
final class BenchContext {

  private static final long VISIBLE_TIMEOUT_NANOS = 120_000_000_000L;

  final StackConfig config;
  final Options options;
  final Identities identities;
  final BenchHttp.Target command;
  final BenchHttp.Target query;
  final PrintStream out;
  final ProcessSampler sampler;

  /** Each load client's identities, resolved once so the load loop does not mint tokens. */
  private final List<List<Identities.Identity>> clients = new ArrayList<>();

  BenchContext(
      StackConfig config,
      Options options,
      Identities identities,
      PrintStream out,
      ProcessSampler sampler) {
    this.config = config;
    this.options = options;
    this.identities = identities;
    this.command = BenchHttp.Target.of(config.commandUrl());
    this.query = BenchHttp.Target.of(config.queryUrl());
    this.out = out;
    this.sampler = sampler;
  }

  /**
   * How a load phase on the services warms up: {@code --warmup} seconds, then, with {@code
   * --jit-settle}, until their JIT compilers have settled.
   */
  Load.Warmup warmup() {
    return new Load.Warmup(
        options.warmupDuration(),
        options.jitSettle()
            ? new JitSettling(command, query, options.jitSettleLimit(), out)
            : null);
  }

  /** The identities of load clients 0 to {@code count - 1}, minted on first use. */
  synchronized List<List<Identities.Identity>> clients(int count) throws IOException {
    while (clients.size() < count) {
      clients.add(identities.client(clients.size()));
    }
    return List.copyOf(clients.subList(0, count));
  }

  /** The identity request {@code iteration} of {@code client} uses. */
  static Identities.Identity pick(List<List<Identities.Identity>> clients, int client, long i) {
    List<Identities.Identity> own = clients.get(client);
    return own.get((int) (i % own.size()));
  }

  /** The owner of the accounts client {@code client} opens for phase {@code phase}. */
  String owner(String phase, int client) {
    return identities.subject(phase + "-owner-" + client);
  }

  /**
   * Opens {@code perClient} EUR accounts for each of {@code clientCount} clients (owned by {@link
   * #owner}, one owner per phase and client), funding each with {@code funding} minor units when
   * positive; with the set-up token.
   */
  List<List<String>> openAccounts(String phase, int clientCount, int perClient, long funding)
      throws Exception {
    List<List<String>> accounts = new ArrayList<>();
    for (int c = 0; c < clientCount; c++) {
      accounts.add(new ArrayList<>());
    }
    Load.parallel(
        clientCount,
        (client, ignored, http) -> {
          for (int k = 0; k < perClient; k++) {
            BenchHttp.Answer opened =
                http.send(
                    command,
                    null,
                    "POST",
                    "/api/v1/accounts",
                    identities.setupToken(),
                    "{\"currency\":\"EUR\",\"ownerId\":\"" + owner(phase, client) + "\"}");
            String id =
                Json.string(opened.body(), "accountId")
                    .filter(found -> opened.ok())
                    .orElseThrow(
                        () ->
                            new IllegalStateException(
                                "cannot open a benchmark account: "
                                    + opened.label()
                                    + " "
                                    + opened.body()));
            if (funding > 0) {
              BenchHttp.Answer funded =
                  http.send(
                      command,
                      null,
                      "POST",
                      "/api/v1/accounts/" + id + "/deposits",
                      identities.setupToken(),
                      "{\"amount\":" + funding + "}");
              if (!funded.ok()) {
                throw new IllegalStateException(
                    "cannot fund a benchmark account: " + funded.label() + " " + funded.body());
              }
            }
            synchronized (accounts) {
              accounts.get(client).add(id);
            }
          }
        });
    return accounts;
  }

  /** Waits until the query side shows every one of {@code accounts}. */
  void awaitVisible(List<String> accounts) throws Exception {
    try (BenchHttp http = new BenchHttp()) {
      long deadline = System.nanoTime() + VISIBLE_TIMEOUT_NANOS;
      for (String account : accounts) {
        while (true) {
          BenchHttp.Answer answer =
              http.send(
                  query,
                  null,
                  "GET",
                  "/api/v1/accounts/" + account + "?minVersion=0",
                  identities.setupToken(),
                  null);
          if (answer.ok()) {
            break;
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "account "
                    + account
                    + " not visible on the query side after 120 s: "
                    + answer.label()
                    + " "
                    + answer.body());
          }
          Thread.sleep(100);
        }
      }
    }
  }
}
