package io.ledgerline.infra.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole of Ledgerline on one machine: PostgreSQL, Kafka, Elasticsearch, the payment gateway
 * simulator, the identity provider, the command side and the query side, each a process of its own,
 * all data under one folder. The services run under {@code infra/bin/supervise}, which starts them
 * again when they exit unexpectedly; fault tests use {@link #kill}, {@link #restart}, {@link
 * #awaitHealthy} and {@link #restartCount}.
 */
public final class LocalStack {

  private static final String COMMAND_SIDE = "command-side";
  private static final String QUERY_SIDE = "query-side";

  /** The OpenID Connect provider whose tokens both services accept beside development tokens. */
  public static final String IDENTITY_PROVIDER = "identity-provider";

  private static final Duration MIDDLEWARE_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration SERVICE_TIMEOUT = Duration.ofMinutes(3);

  private static final Pattern CLUSTER_STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"");
  private static final Pattern JDBC_HOST =
      Pattern.compile("^jdbc:postgresql://([^/:,?]+)(?::(\\d+))?/");

  /** The parts of the stack, as {@link #kill}, {@link #restart} and the others name them. */
  public static final List<String> PARTS =
      List.of(
          PostgresNode.NAME,
          KafkaNode.NAME,
          ElasticsearchNode.NAME,
          GatewaySimulatorNode.NAME,
          IDENTITY_PROVIDER,
          COMMAND_SIDE,
          QUERY_SIDE);

  private final StackConfig config;
  private final Log log;
  private final Processes processes;
  private final PostgresNode postgres;
  private final KafkaNode kafka;
  private final ElasticsearchNode elasticsearch;
  private final GatewaySimulatorNode gateway;
  private final ServiceNode identityProvider;
  private final ServiceNode commandSide;
  private final ServiceNode querySide;
  private final DevTokens tokens;

  public LocalStack(StackConfig config, PrintStream out) {
    this.config = config;
    this.log = new Log(out);
    this.processes = new Processes(config);
    Downloads downloads = new Downloads(config, log);
    this.tokens = new DevTokens(config);
    String publicKey = "file:" + tokens.publicKey();
    this.postgres = new PostgresNode(config, downloads, processes, log);
    this.kafka = new KafkaNode(config, downloads, processes, log);
    this.elasticsearch = new ElasticsearchNode(config, downloads, processes, log);
    this.gateway = new GatewaySimulatorNode(config, processes, log);
    this.identityProvider =
        new ServiceNode(
            IDENTITY_PROVIDER,
            "identity-provider",
            config.identityPort(),
            Map.of(
                "LEDGERLINE_IDENTITY_ISSUER", config.identityUrl(),
                "LEDGERLINE_IDENTITY_DASHBOARD_URL", config.queryUrl(),
                // Signing keys, disabled users and revocations outlive a restart of the provider.
                "LEDGERLINE_IDENTITY_STATE_DIR",
                    config.data().resolve(IDENTITY_PROVIDER).toString()),
            config.identityHeap(),
            config,
            processes,
            log);
    this.commandSide =
        new ServiceNode(
            COMMAND_SIDE,
            "command-side",
            config.commandPort(),
            withIdentity(
                config,
                withGateway(
                    config,
                    Map.of(
                        "SPRING_DATASOURCE_URL", config.jdbcUrl(),
                        "SPRING_DATASOURCE_USERNAME", appUser(config),
                        "SPRING_DATASOURCE_PASSWORD", appPassword(config),
                        "SPRING_FLYWAY_USER", config.postgresUser(),
                        "SPRING_FLYWAY_PASSWORD", config.postgresPassword(),
                        "SPRING_KAFKA_BOOTSTRAP_SERVERS", config.kafkaBootstrap(),
                        "LEDGERLINE_SECURITY_JWT_PUBLIC_KEY_LOCATION", publicKey))),
            config,
            processes,
            log);
    this.querySide =
        new ServiceNode(
            QUERY_SIDE,
            "query-side",
            config.queryPort(),
            withIdentity(
                config,
                Map.of(
                    "SPRING_DATASOURCE_URL", config.jdbcUrl(),
                    "SPRING_DATASOURCE_USERNAME", auditUser(config),
                    "SPRING_DATASOURCE_PASSWORD", auditPassword(config),
                    "SPRING_KAFKA_BOOTSTRAP_SERVERS", config.kafkaBootstrap(),
                    "SPRING_ELASTICSEARCH_URIS", config.elasticsearchUrl(),
                    "LEDGERLINE_SECURITY_JWT_PUBLIC_KEY_LOCATION", publicKey)),
            config,
            processes,
            log);
  }

  public StackConfig config() {
    return config;
  }

  /** The command side's settings with the payment gateway's: the simulator's, or a real one's. */
  private static Map<String, String> withGateway(StackConfig config, Map<String, String> settings) {
    Map<String, String> environment = new LinkedHashMap<>(settings);
    environment.put("LEDGERLINE_GATEWAY_API_BASE", config.gatewayApiBase());
    environment.put("LEDGERLINE_GATEWAY_API_KEY", config.gatewayApiKey());
    environment.put("LEDGERLINE_GATEWAY_WEBHOOK_SECRET", config.gatewayWebhookSecret());
    return Map.copyOf(environment);
  }

  /**
   * A service's settings with the identity provider's: its tokens are trusted beside the
   * development issuer's (found by discovery when the first arrives, so the provider may still be
   * starting), and its revocation list is polled.
   */
  private static Map<String, String> withIdentity(
      StackConfig config, Map<String, String> settings) {
    Map<String, String> environment = new LinkedHashMap<>(settings);
    environment.put("LEDGERLINE_SECURITY_JWT_ISSUER_URI", config.identityUrl());
    environment.put(
        "LEDGERLINE_SECURITY_JWT_REVOCATION_URI", config.identityUrl() + "/revocations");
    return Map.copyOf(environment);
  }

  // An external PostgreSQL is used with the one user given, unless its DBA created our roles.
  private static String appUser(StackConfig config) {
    return config.externalPostgresUrl().isEmpty() ? PostgresNode.APP_ROLE : config.postgresUser();
  }

  private static String appPassword(StackConfig config) {
    return config.externalPostgresUrl().isEmpty()
        ? config.appPassword()
        : config.postgresPassword();
  }

  private static String auditUser(StackConfig config) {
    return config.externalPostgresUrl().isEmpty() ? PostgresNode.AUDIT_ROLE : config.postgresUser();
  }

  private static String auditPassword(StackConfig config) {
    return config.externalPostgresUrl().isEmpty()
        ? config.auditPassword()
        : config.postgresPassword();
  }

  /** The development token issuer of this stack. */
  public DevTokens tokens() {
    return tokens;
  }

  /** Starts whatever is not running yet and waits until every part is ready. */
  public void up() throws IOException {
    prepareFolders();
    try {
      elasticsearch.start();
      kafka.start();
      if (config.externalGatewayApiBase().isEmpty()) {
        gateway.start();
      } else {
        log.step("Using the payment gateway at " + config.gatewayApiBase());
      }
      // Started early, as it needs nothing else; the services find it by discovery when its
      // first token arrives, so they would start even if it were slow.
      identityProvider.start();
      if (config.externalPostgresUrl().isEmpty()) {
        postgres.start();
        postgres.awaitReady(MIDDLEWARE_TIMEOUT);
      } else {
        log.step("Using the external PostgreSQL at " + config.jdbcUrl());
      }
      kafka.awaitReady(MIDDLEWARE_TIMEOUT);
      log.step("Kafka ready");
      // Meanwhile Elasticsearch starts: the first start of a build trains each service's archive.
      CompletableFuture<Void> training = trainClassDataArchives(commandSide, querySide);
      elasticsearch.awaitReady(MIDDLEWARE_TIMEOUT);
      log.step("Elasticsearch ready");
      awaitTraining(training);
      if (config.externalGatewayApiBase().isEmpty()) {
        gateway.awaitReady(MIDDLEWARE_TIMEOUT);
        log.step("Gateway simulator ready");
      }
      identityProvider.awaitReady(SERVICE_TIMEOUT, true);
      log.step("identity-provider ready");
      commandSide.start();
      querySide.start();
      commandSide.awaitReady(SERVICE_TIMEOUT, true);
      log.step("command-side ready");
      querySide.awaitReady(SERVICE_TIMEOUT, true);
      log.step("query-side ready");
    } catch (IOException | RuntimeException e) {
      log.step("Start-up failed: " + firstLine(e.getMessage()));
      throw e;
    }
  }

  /** Trains the services' class-data archives side by side, in the background. */
  private static CompletableFuture<Void> trainClassDataArchives(ServiceNode... services) {
    // Threads of its own: the common pool has one thread on two cores.
    ExecutorService trainers = Executors.newFixedThreadPool(services.length);
    List<CompletableFuture<Void>> trainings = new ArrayList<>();
    for (ServiceNode service : services) {
      trainings.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  service.trainClassDataArchive();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              trainers));
    }
    trainers.shutdown();
    return CompletableFuture.allOf(trainings.toArray(CompletableFuture[]::new));
  }

  private static void awaitTraining(CompletableFuture<Void> training) throws IOException {
    try {
      training.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while training the class-data archives", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw new IOException("training the class-data archives failed", e.getCause());
    }
  }

  private void prepareFolders() throws IOException {
    Files.createDirectories(config.home());
    Files.createDirectories(config.downloads());
    Files.createDirectories(config.logs());
    Files.createDirectories(config.data());
    Files.createDirectories(config.run());
    // The unprivileged user running PostgreSQL and Elasticsearch must reach its folders.
    for (var folder : List.of(config.home(), config.data(), config.downloads())) {
      folder.toFile().setExecutable(true, false);
      folder.toFile().setReadable(true, false);
    }
    tokens.ensureKeys();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  /**
   * Kills one part's main process with SIGKILL, as a crash would, and returns once it is gone: the
   * postmaster, the Kafka broker, the Elasticsearch node, the gateway simulator or a service's JVM.
   * A service is then started again by its supervisor (after a backoff of 1 s, growing while it
   * keeps crashing), so {@link #awaitHealthy} sees it back and {@link #restartCount} one higher.
   * PostgreSQL, Kafka, Elasticsearch and the gateway simulator stay down until {@link #restart} or
   * {@link #up}.
   *
   * @param part one of {@link #PARTS}
   * @throws IllegalArgumentException for an unknown part, or PostgreSQL or the gateway when it is
   *     external
   * @throws IllegalStateException when the part's process is not running
   */
  public void kill(String part) {
    Optional<Long> killed =
        switch (checkPart(part)) {
          case PostgresNode.NAME -> postgres.kill();
          case KafkaNode.NAME -> kafka.kill();
          case ElasticsearchNode.NAME -> elasticsearch.kill();
          case GatewaySimulatorNode.NAME -> gateway.kill();
          default -> service(part).kill();
        };
    if (killed.isEmpty()) {
      throw new IllegalStateException(part + " is not running");
    }
    log.step("Killed " + part + " (PID " + killed.get() + ")");
  }

  /**
   * Stops one part (or cleans up after it was killed: stale PID and lock files, ports still held)
   * and starts it again, then waits until it is healthy. A service is stopped with its supervisor,
   * so it is never restarted twice. Counts as a restart in {@link #restartCount}.
   *
   * @param part one of {@link #PARTS}
   * @throws IOException when the part does not get healthy; the message ends with its log's tail
   */
  public void restart(String part) throws IOException {
    checkPart(part);
    prepareFolders();
    log.step("Restarting " + part);
    switch (part) {
      case PostgresNode.NAME -> {
        postgres.stop();
        postgres.start();
        postgres.awaitReady(MIDDLEWARE_TIMEOUT);
      }
      case KafkaNode.NAME -> {
        kafka.stop();
        kafka.start();
        kafka.awaitReady(MIDDLEWARE_TIMEOUT);
      }
      case ElasticsearchNode.NAME -> {
        elasticsearch.stop();
        elasticsearch.start();
        elasticsearch.awaitReady(MIDDLEWARE_TIMEOUT);
      }
      case GatewaySimulatorNode.NAME -> {
        gateway.stop();
        gateway.start();
        gateway.awaitReady(MIDDLEWARE_TIMEOUT);
      }
      default -> {
        ServiceNode service = service(part);
        service.stop();
        service.trainClassDataArchive();
        service.start();
        service.awaitReady(SERVICE_TIMEOUT, true);
      }
    }
    log.step(part + " ready");
  }

  /**
   * Waits until one part is healthy: PostgreSQL and Kafka accept connections (Kafka has started),
   * Elasticsearch's cluster is at least yellow, a service's readiness probe answers 200. For a
   * service, restarts by its supervisor are waited out; PostgreSQL, Kafka and Elasticsearch fail at
   * once when their process is gone, since nothing would start them again.
   *
   * @param part one of {@link #PARTS}
   * @throws IOException when the part is not healthy within {@code timeout}, or cannot become so
   */
  public void awaitHealthy(String part, Duration timeout) throws IOException {
    switch (checkPart(part)) {
      case PostgresNode.NAME -> postgres.awaitReady(timeout);
      case KafkaNode.NAME -> kafka.awaitReady(timeout);
      case ElasticsearchNode.NAME -> elasticsearch.awaitReady(timeout);
      case GatewaySimulatorNode.NAME -> gateway.awaitReady(timeout);
      default -> service(part).awaitReady(timeout, false);
    }
  }

  /**
   * How often {@code part} was started again since {@link #up} first started it (since the last
   * {@link #down}): by a service's supervisor after its process exited, or by {@link #restart} or
   * {@link #up} after the part had stopped. The supervisor counts a crash a moment after the
   * process is gone, so after {@link #kill} read it once {@link #awaitHealthy} returned.
   *
   * @param part one of {@link #PARTS}
   */
  public int restartCount(String part) {
    return PartState.read(config, checkPart(part)).restarts();
  }

  private String checkPart(String part) {
    if (!PARTS.contains(part)) {
      throw new IllegalArgumentException(
          "unknown part " + part + "; one of " + String.join(", ", PARTS));
    }
    if (part.equals(PostgresNode.NAME) && config.externalPostgresUrl().isPresent()) {
      throw new IllegalArgumentException(
          "PostgreSQL is external (" + config.jdbcUrl() + "); this stack does not run it");
    }
    if (part.equals(GatewaySimulatorNode.NAME) && config.externalGatewayApiBase().isPresent()) {
      throw new IllegalArgumentException(
          "the payment gateway is external ("
              + config.gatewayApiBase()
              + "); this stack does not run it");
    }
    return part;
  }

  private ServiceNode service(String part) {
    if (part.equals(identityProvider.name())) {
      return identityProvider;
    }
    return part.equals(commandSide.name()) ? commandSide : querySide;
  }

  /**
   * Kills the command side's JVM with SIGKILL, as a crash would (for recovery tests). Its
   * supervisor starts it again; {@link #up} then waits for it without starting a second copy.
   */
  public void crashCommandSide() {
    commandSide.kill();
  }

  /** Stops everything this stack started, services (with their supervisors) first. */
  public void down() throws IOException {
    for (ServiceNode service : List.of(querySide, commandSide)) {
      if (service.isRunning() || service.isSupervised()) {
        log.step("Stopping " + service.name());
      }
      service.stop();
    }
    // After the services, which poll its revocation list until they stop.
    if (identityProvider.isRunning() || identityProvider.isSupervised()) {
      log.step("Stopping " + identityProvider.name());
    }
    identityProvider.stop();
    if (gateway.isRunning()) {
      log.step("Stopping the gateway simulator");
    }
    gateway.stop();
    log.step("Stopping Kafka, Elasticsearch and PostgreSQL");
    kafka.stop();
    elasticsearch.stop();
    postgres.stop();
    // Restart counts run from one up to the next down.
    for (String part : PARTS) {
      PartState.delete(config, part);
    }
    log.step("Stopped");
  }

  /**
   * One line per part: running or not, its PID, where it listens, its health, how often it was
   * restarted, its supervisor (for a service) and where its log is; under each service a line with
   * its lag. Quick, and never fails: a part that is not running shows "down" and is not probed, a
   * figure that cannot be read shows "unknown".
   */
  public List<String> status() {
    Map<String, Supplier<List<String>>> parts = new LinkedHashMap<>();
    parts.put(PostgresNode.NAME, this::postgresStatus);
    parts.put(KafkaNode.NAME, this::kafkaStatus);
    parts.put(ElasticsearchNode.NAME, this::elasticsearchStatus);
    parts.put(GatewaySimulatorNode.NAME, this::gatewayStatus);
    parts.put(IDENTITY_PROVIDER, () -> serviceStatus(identityProvider));
    parts.put(COMMAND_SIDE, () -> serviceStatus(commandSide));
    parts.put(QUERY_SIDE, () -> serviceStatus(querySide));
    // Probed side by side, so a part that answers slowly delays the answer by its timeout once.
    ExecutorService probes = Executors.newFixedThreadPool(parts.size());
    try {
      List<CompletableFuture<List<String>>> running = new ArrayList<>();
      parts.forEach(
          (part, status) ->
              running.add(
                  CompletableFuture.supplyAsync(status, probes)
                      .exceptionally(
                          e ->
                              List.of(String.format("%-14s unknown (%s)", part, e.getMessage())))));
      List<String> lines = new ArrayList<>();
      running.forEach(part -> lines.addAll(part.join()));
      return lines;
    } finally {
      probes.shutdownNow();
    }
  }

  private List<String> postgresStatus() {
    if (config.externalPostgresUrl().isPresent()) {
      return List.of(
          String.format(
              "%-14s %-10s %-11s %-46s %-20s",
              "postgres", "external", "", config.jdbcUrl(), externalPostgresHealth()));
    }
    Optional<ProcessHandle> process = processes.running(PostgresNode.NAME);
    return List.of(
        line(
            PostgresNode.NAME,
            process,
            "",
            config.jdbcUrl(),
            process.isEmpty() ? "down" : connectHealth(config.postgresPort()),
            "",
            postgres.logFile().toString()));
  }

  private List<String> kafkaStatus() {
    Optional<ProcessHandle> broker = processes.running(KafkaNode.NAME);
    return List.of(
        line(
            KafkaNode.NAME,
            broker,
            "",
            config.kafkaBootstrap(),
            broker.isEmpty() ? "down" : connectHealth(config.kafkaPort()),
            "",
            kafka.logFile().toString()));
  }

  private List<String> elasticsearchStatus() {
    Optional<ProcessHandle> node = elasticsearch.server();
    return List.of(
        line(
            ElasticsearchNode.NAME,
            node,
            "",
            config.elasticsearchUrl(),
            node.isEmpty() ? "down" : elasticsearchHealth(),
            "",
            elasticsearch.logFile().toString()));
  }

  private List<String> gatewayStatus() {
    if (config.externalGatewayApiBase().isPresent()) {
      return List.of(
          String.format(
              "%-14s %-10s %-11s %-46s %-20s",
              GatewaySimulatorNode.NAME, "external", "", config.gatewayApiBase(), "not probed"));
    }
    Optional<ProcessHandle> process = gateway.process();
    return List.of(
        line(
            GatewaySimulatorNode.NAME,
            process,
            "",
            gateway.url(),
            process.isEmpty() ? "down" : gateway.health(),
            "",
            gateway.logFile().toString()));
  }

  /**
   * The service's line, then its lag, read only from a service that is ready (the identity provider
   * has no lag: its line only).
   */
  private List<String> serviceStatus(ServiceNode service) {
    Optional<ProcessHandle> process = service.process();
    Optional<ProcessHandle> supervisor = service.supervisor();
    String state =
        process.isPresent() ? "running" : supervisor.isPresent() ? "restarting" : "stopped";
    String health = process.isEmpty() ? "down" : service.health();
    String supervision =
        supervisor
            .map(handle -> "  supervisor pid " + handle.pid())
            .orElse(process.isPresent() ? "  unsupervised" : "");
    String summary =
        line(
            service.name(),
            process,
            state,
            service.url(),
            health,
            supervision,
            service.logFile().toString());
    if (service == identityProvider) {
      return List.of(summary);
    }
    String lag;
    if (!health.equals(ServiceNode.HEALTHY)) {
      lag = "unknown (" + service.name() + " is not ready)";
    } else if (service == commandSide) {
      lag = ServiceLag.commandSide(config).text();
    } else {
      lag = ServiceLag.querySide(config, tokens).text();
    }
    return List.of(summary, String.format("%-14s lag: %s", "", lag));
  }

  private static String connectHealth(int port) {
    return Probes.portOpen(port) ? "healthy" : "no answer";
  }

  /** "healthy (green)", "healthy (yellow)", "unhealthy (red)" or "no answer". */
  private String elasticsearchHealth() {
    return Probes.httpBody(config.elasticsearchUrl() + "/_cluster/health?timeout=1s")
        .map(CLUSTER_STATUS::matcher)
        .filter(Matcher::find)
        .map(
            status ->
                (status.group(1).equals("red") ? "unhealthy (" : "healthy (")
                    + status.group(1)
                    + ")")
        .orElse("no answer");
  }

  /** Whether the external PostgreSQL accepts connections, if its URL names one host. */
  private String externalPostgresHealth() {
    Matcher host = JDBC_HOST.matcher(config.jdbcUrl());
    if (!host.find()) {
      return "unknown";
    }
    int port = host.group(2) == null ? 5432 : Integer.parseInt(host.group(2));
    return Probes.portOpen(host.group(1), port) ? "healthy" : "no answer";
  }

  /** Whether every part of the stack runs. */
  public boolean isUp() {
    return (config.externalPostgresUrl().isPresent() || postgres.isRunning())
        && kafka.isRunning()
        && elasticsearch.isRunning()
        && (config.externalGatewayApiBase().isPresent() || gateway.isRunning())
        && identityProvider.isRunning()
        && commandSide.isRunning()
        && querySide.isRunning();
  }

  private String line(
      String part,
      Optional<ProcessHandle> process,
      String state,
      String where,
      String health,
      String extra,
      String logFile) {
    String shownState = state.isEmpty() ? (process.isPresent() ? "running" : "stopped") : state;
    String pid = process.map(handle -> "pid " + handle.pid()).orElse("");
    return String.format(
        "%-14s %-10s %-11s %-46s %-20s restarts %s%s  log: %s",
        part,
        shownState,
        pid,
        where,
        health,
        PartState.read(config, part).describe(),
        extra,
        logFile);
  }
}
