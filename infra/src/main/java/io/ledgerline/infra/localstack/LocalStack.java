package io.ledgerline.infra.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole of Ledgerline on one machine: PostgreSQL, Kafka, Elasticsearch, the command side and
 * the query side, each a process of its own, all data under one folder.
 */
public final class LocalStack {

  private static final Duration MIDDLEWARE_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration SERVICE_TIMEOUT = Duration.ofMinutes(3);

  private final StackConfig config;
  private final Log log;
  private final Processes processes;
  private final PostgresNode postgres;
  private final KafkaNode kafka;
  private final ElasticsearchNode elasticsearch;
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
    this.commandSide =
        new ServiceNode(
            "command-side",
            "command-side",
            config.commandPort(),
            Map.of(
                "SPRING_DATASOURCE_URL", config.jdbcUrl(),
                "SPRING_DATASOURCE_USERNAME", appUser(config),
                "SPRING_DATASOURCE_PASSWORD", appPassword(config),
                "SPRING_FLYWAY_USER", config.postgresUser(),
                "SPRING_FLYWAY_PASSWORD", config.postgresPassword(),
                "SPRING_KAFKA_BOOTSTRAP_SERVERS", config.kafkaBootstrap(),
                "LEDGERLINE_SECURITY_JWT_PUBLIC_KEY_LOCATION", publicKey),
            config,
            processes,
            log);
    this.querySide =
        new ServiceNode(
            "query-side",
            "query-side",
            config.queryPort(),
            Map.of(
                "SPRING_DATASOURCE_URL", config.jdbcUrl(),
                "SPRING_DATASOURCE_USERNAME", auditUser(config),
                "SPRING_DATASOURCE_PASSWORD", auditPassword(config),
                "SPRING_KAFKA_BOOTSTRAP_SERVERS", config.kafkaBootstrap(),
                "SPRING_ELASTICSEARCH_URIS", config.elasticsearchUrl(),
                "LEDGERLINE_SECURITY_JWT_PUBLIC_KEY_LOCATION", publicKey),
            config,
            processes,
            log);
  }

  public StackConfig config() {
    return config;
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
    try {
      elasticsearch.start();
      kafka.start();
      if (config.externalPostgresUrl().isEmpty()) {
        postgres.start();
      } else {
        log.step("Using the external PostgreSQL at " + config.jdbcUrl());
      }
      kafka.awaitReady(MIDDLEWARE_TIMEOUT);
      log.step("Kafka ready");
      elasticsearch.awaitReady(MIDDLEWARE_TIMEOUT);
      log.step("Elasticsearch ready");
      commandSide.start();
      querySide.start();
      commandSide.awaitReady(SERVICE_TIMEOUT);
      log.step("command-side ready");
      querySide.awaitReady(SERVICE_TIMEOUT);
      log.step("query-side ready");
    } catch (IOException | RuntimeException e) {
      log.step("Start-up failed: " + e.getMessage());
      throw e;
    }
  }

  /** Kills the command side with SIGKILL, as a crash would (for recovery tests). */
  public void crashCommandSide() {
    processes.running(commandSide.name()).ifPresent(ProcessHandle::destroyForcibly);
    processes.running(commandSide.name()).ifPresent(process -> process.onExit().join());
  }

  /** Stops everything this stack started, services first. */
  public void down() throws IOException {
    for (ServiceNode service : List.of(querySide, commandSide)) {
      if (service.isRunning()) {
        log.step("Stopping " + service.name());
      }
      service.stop();
    }
    log.step("Stopping Kafka, Elasticsearch and PostgreSQL");
    kafka.stop();
    elasticsearch.stop();
    postgres.stop();
    log.step("Stopped");
  }

  /** One line per part: running or not, where, and where its log is. */
  public List<String> status() {
    return List.of(
        line("postgres", postgres.isRunning(), config.jdbcUrl(), postgres.logFile().toString()),
        line("kafka", kafka.isRunning(), config.kafkaBootstrap(), kafka.logFile().toString()),
        line(
            "elasticsearch",
            elasticsearch.isRunning(),
            config.elasticsearchUrl(),
            elasticsearch.logFile().toString()),
        line(
            "command-side",
            commandSide.isRunning(),
            config.commandUrl(),
            commandSide.logFile().toString()),
        line(
            "query-side",
            querySide.isRunning(),
            config.queryUrl(),
            querySide.logFile().toString()));
  }

  /** Whether every part of the stack runs. */
  public boolean isUp() {
    return (config.externalPostgresUrl().isPresent() || postgres.isRunning())
        && kafka.isRunning()
        && elasticsearch.isRunning()
        && commandSide.isRunning()
        && querySide.isRunning();
  }

  private static String line(String name, boolean running, String where, String logFile) {
    return String.format(
        "%-14s %-8s %-48s log: %s", name, running ? "running" : "stopped", where, logFile);
  }
}
