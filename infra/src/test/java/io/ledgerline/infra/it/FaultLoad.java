package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.JSON;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A retrying client load with its own model of what must be true, in the manner of Jepsen's bank
 * workload. Workers open accounts, deposit, withdraw and transfer through every command-side
 * instance in turn; every command has its own {@code Idempotency-Key} and is retried with that key
 * (on another instance) after a timeout, a refused connection, a 5xx or a 429, until it gets a
 * final answer: acknowledged (2xx) or refused (any other 4xx). Each attempt is recorded, so a
 * failed check can print the whole history.
 */
final class FaultLoad implements AutoCloseable {

  /** One command of the load and everything that happened to it. */
  static final class Command {
    private final String key;
    private final String kind;
    private final String account;
    private final String counterpart;
    private final long amount;
    private final List<String> history = Collections.synchronizedList(new ArrayList<>());
    private volatile int finalStatus;
    private volatile String transferId;
    private volatile String transferStatus;

    Command(String key, String kind, String account, String counterpart, long amount) {
      this.key = key;
      this.kind = kind;
      this.account = account;
      this.counterpart = counterpart;
      this.amount = amount;
    }

    String key() {
      return key;
    }

    long amount() {
      return amount;
    }

    boolean acknowledged() {
      return finalStatus >= 200 && finalStatus < 300;
    }

    boolean answered() {
      return finalStatus != 0;
    }

    @Override
    public String toString() {
      return kind
          + " "
          + amount
          + " "
          + account
          + (counterpart == null ? "" : "->" + counterpart)
          + " key="
          + key
          + " final="
          + finalStatus
          + (transferId == null ? "" : " transfer=" + transferId + " " + transferStatus)
          + " history="
          + history;
    }
  }

  private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(90);

  private final String run;
  private final List<String> commandUrls;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ConcurrentLinkedQueue<Command> commands = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> notes = new ConcurrentLinkedQueue<>();
  private final List<String> accounts = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong attempts = new AtomicLong();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final ExecutorService workers;
  private final Instant start = Instant.now();

  private FaultLoad(String run, List<String> commandUrls, int workerCount) {
    this.run = run;
    this.commandUrls = commandUrls;
    this.workers = Executors.newFixedThreadPool(workerCount);
  }

  /** Opens {@code accountCount} accounts, then runs {@code workerCount} workers until stopped. */
  static FaultLoad start(String run, List<String> commandUrls, int accountCount, int workerCount) {
    FaultLoad load = new FaultLoad(run, commandUrls, workerCount);
    for (int i = 0; i < accountCount; i++) {
      Command open = load.newCommand("open", null, null, 0);
      load.execute(
          open, "/api/v1/accounts", "{\"currency\":\"EUR\",\"ownerId\":\"" + run + "\"}", 0);
      if (!open.acknowledged()) {
        throw new AssertionError("could not open an account: " + open);
      }
    }
    for (int w = 0; w < workerCount; w++) {
      int worker = w;
      load.workers.submit(() -> load.work(worker));
    }
    return load;
  }

  String run() {
    return run;
  }

  List<String> accounts() {
    return List.copyOf(accounts);
  }

  List<Command> commands() {
    return List.copyOf(commands);
  }

  Set<String> keys() {
    return commands.stream().map(Command::key).collect(Collectors.toSet());
  }

  List<Command> unresolved() {
    return commands.stream()
        .filter(c -> !c.answered() || (c.transferId != null && c.transferStatus == null))
        .toList();
  }

  long acknowledgedTotal(String kind) {
    return commands.stream()
        .filter(c -> c.kind.equals(kind) && c.acknowledged())
        .mapToLong(Command::amount)
        .sum();
  }

  void note(String event) {
    notes.add(Duration.between(start, Instant.now()).toMillis() + "ms " + event);
  }

  /** Waits until {@code count} more commands were acknowledged. */
  void awaitAcknowledged(long count, Duration atMost) {
    long target = acknowledged.get() + count;
    await().atMost(atMost).until(() -> acknowledged.get() >= target);
  }

  /** Waits until the clients made {@code count} more attempts (they go on during an outage). */
  void awaitAttempts(long count, Duration atMost) {
    long target = attempts.get() + count;
    await().atMost(atMost).until(() -> attempts.get() >= target);
  }

  /** Stops the workers after their current command got its final answer. */
  void stop() throws InterruptedException {
    running.set(false);
    workers.shutdown();
    if (!workers.awaitTermination(3, TimeUnit.MINUTES)) {
      throw new AssertionError("the load did not stop");
    }
    // A command that gave up during an outage is sent again with its key, as a client would.
    for (Command command : commands) {
      if (!command.answered()) {
        retry(command);
      }
    }
  }

  /** Follows every acknowledged transfer on the command side until it completed or failed. */
  void resolveTransfers(Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              boolean all = true;
              for (Command command : commands) {
                if (command.transferId != null && command.transferStatus == null) {
                  var response =
                      send("GET", "/api/v1/transfers/" + command.transferId, null, null, 0);
                  String status =
                      response != null && response.statusCode() == 200
                          ? JSON.readTree(response.body()).get("status").asText()
                          : "REQUESTED";
                  if (status.equals("COMPLETED") || status.equals("FAILED")) {
                    command.transferStatus = status;
                  } else {
                    all = false;
                  }
                }
              }
              return all;
            });
  }

  void printHistory(PrintStream out) {
    out.println("=== fault suite history (" + run + ") ===");
    notes.forEach(out::println);
    commands.forEach(out::println);
  }

  @Override
  public void close() {
    running.set(false);
    workers.shutdownNow();
  }

  private void work(int worker) {
    while (running.get()) {
      pace();
      ThreadLocalRandom random = ThreadLocalRandom.current();
      List<String> known = accounts();
      String account = known.get(random.nextInt(known.size()));
      long amount = 1 + random.nextInt(500);
      int dice = random.nextInt(100);
      if (dice < 45) {
        Command deposit = newCommand("deposit", account, null, amount);
        execute(
            deposit,
            "/api/v1/accounts/" + account + "/deposits",
            "{\"amount\":" + amount + "}",
            worker);
      } else if (dice < 75) {
        Command withdrawal = newCommand("withdrawal", account, null, amount);
        execute(
            withdrawal,
            "/api/v1/accounts/" + account + "/withdrawals",
            "{\"amount\":" + amount + "}",
            worker);
      } else {
        String to = known.get(random.nextInt(known.size()));
        if (to.equals(account)) {
          continue;
        }
        Command transfer = newCommand("transfer", account, to, amount);
        execute(
            transfer,
            "/api/v1/transfers",
            "{\"fromAccountId\":\""
                + account
                + "\",\"toAccountId\":\""
                + to
                + "\",\"amount\":"
                + amount
                + "}",
            worker);
      }
    }
  }

  private Command newCommand(String kind, String account, String counterpart, long amount) {
    Command command =
        new Command(run + "-" + sequence.incrementAndGet(), kind, account, counterpart, amount);
    commands.add(command);
    return command;
  }

  private final java.util.Map<Command, String[]> requests =
      new java.util.concurrent.ConcurrentHashMap<>();

  private void execute(Command command, String path, String body, int worker) {
    requests.put(command, new String[] {path, body, Integer.toString(worker)});
    sendUntilAnswered(command, path, body, worker, Instant.now().plus(GIVE_UP_AFTER));
  }

  private void retry(Command command) {
    String[] request = requests.get(command);
    sendUntilAnswered(
        command,
        request[0],
        request[1],
        Integer.parseInt(request[2]),
        Instant.now().plus(GIVE_UP_AFTER));
  }

  private void sendUntilAnswered(
      Command command, String path, String body, int worker, Instant giveUp) {
    for (int attempt = 0; Instant.now().isBefore(giveUp); attempt++) {
      String base = commandUrls.get((worker + attempt) % commandUrls.size());
      HttpResponse<String> response = send("POST", path, body, command.key, worker, base);
      attempts.incrementAndGet();
      int status = response == null ? 0 : response.statusCode();
      command.history.add(
          Duration.between(start, Instant.now()).toMillis()
              + "ms "
              + base.substring(base.lastIndexOf(':') + 1)
              + "="
              + (status == 0 ? "no answer" : status));
      if (status >= 200 && status < 300) {
        try {
          JsonNode answer = JSON.readTree(response.body());
          if (command.kind.equals("open")) {
            accounts.add(answer.get("accountId").asText());
          } else if (command.kind.equals("transfer")) {
            command.transferId = answer.get("transferId").asText();
          }
        } catch (java.io.IOException e) {
          throw new AssertionError("unreadable answer " + response.body(), e);
        }
        command.finalStatus = status;
        acknowledged.incrementAndGet();
        return;
      }
      if (status >= 400 && status < 500 && status != 408 && status != 429) {
        command.finalStatus = status;
        command.history.add(response.body());
        return;
      }
      pause(attempt);
    }
  }

  private HttpResponse<String> send(
      String method, String path, String body, String key, int worker) {
    return send(method, path, body, key, worker, commandUrls.get(0));
  }

  private HttpResponse<String> send(
      String method, String path, String body, String key, int worker, String base) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer " + Ledgerline.token("operator", run + "-" + worker));
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    if (body != null) {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      return null; // refused, reset or timed out: the caller retries
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  // A steady, moderate load (about 50 commands a second from six workers): the point is the
  // faults, and services restarting on two shared cores must not be starved by the load itself.
  private static void pace() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(Math.min(1_000, 50L << Math.min(attempt, 5)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
