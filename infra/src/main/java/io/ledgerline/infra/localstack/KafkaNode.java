package io.ledgerline.infra.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A single-node KRaft Kafka broker (broker and controller in one JVM) from Maven Central jars. */
final class KafkaNode {

  static final String NAME = "kafka";

  private static final Duration PORT_TIMEOUT = Duration.ofSeconds(30);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final StackConfig config;
  private final Downloads downloads;
  private final Processes processes;
  private final Log log;

  KafkaNode(StackConfig config, Downloads downloads, Processes processes, Log log) {
    this.config = config;
    this.downloads = downloads;
    this.processes = processes;
    this.log = log;
  }

  Path dataDir() {
    return config.data().resolve("kafka");
  }

  Path logFile() {
    return config.logs().resolve("kafka.log");
  }

  boolean isRunning() {
    return processes.running(NAME).isPresent();
  }

  void start() throws IOException {
    if (isRunning()) {
      log.step("Kafka already running on port " + config.kafkaPort());
      return;
    }
    cleanUpAfterCrash();
    Processes.awaitPortsFree(
        "Kafka", List.of(config.kafkaPort(), config.kafkaPort() + 1), PORT_TIMEOUT, log);
    Path libs = downloads.kafkaLibs();
    Path configDir = config.run().resolve("kafka");
    Files.createDirectories(configDir);
    Path properties = configDir.resolve("server.properties");
    Files.writeString(properties, serverProperties());
    Path log4j = configDir.resolve("log4j2.properties");
    Files.writeString(log4j, LOG4J);
    String classpath = libs.resolve("*").toString();
    if (!Files.exists(dataDir().resolve("meta.properties"))) {
      log.step("Formatting Kafka's storage in " + dataDir());
      Files.createDirectories(dataDir());
      Processes.run(
          List.of(
              java(),
              "-cp",
              classpath,
              "-Dlog4j2.configurationFile=" + log4j,
              "kafka.tools.StorageTool",
              "format",
              "-t",
              clusterId(),
              "-c",
              properties.toString()),
          configDir,
          Map.of());
    }
    Files.deleteIfExists(logFile());
    PartState.countStart(config, NAME);
    log.step("Starting Kafka on port " + config.kafkaPort());
    processes.startDetached(
        NAME,
        List.of(
            java(),
            // Grown on demand up to the bound: an idle or lightly used broker keeps a small heap.
            "-Xms64m",
            "-Xmx" + config.kafkaHeap(),
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            "-Dlog4j2.configurationFile=" + log4j,
            "-cp",
            classpath,
            "kafka.Kafka",
            properties.toString()),
        configDir,
        Map.of(),
        logFile());
  }

  /**
   * Removes what a killed broker leaves behind, but only once its process is really gone: a stale
   * PID file and the log folder's {@code .lock}.
   */
  private void cleanUpAfterCrash() throws IOException {
    processes.forgetIfGone(NAME);
    Files.deleteIfExists(dataDir().resolve(".lock"));
  }

  /** Waits until the broker is up; fails at once when its process is gone. */
  void awaitReady(Duration timeout) throws IOException {
    Processes.await(
        "Kafka",
        timeout,
        logFile(),
        () -> {
          if (!isRunning()) {
            throw Processes.failure("Kafka exited", logFile());
          }
          return Probes.portOpen(config.kafkaPort()) && logContains("Kafka Server started");
        });
  }

  /** Kills the broker with SIGKILL, as a crash would; returns its PID if it ran. */
  Optional<Long> kill() {
    return processes.kill(NAME);
  }

  private boolean logContains(String text) {
    try {
      return Files.readString(logFile()).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  void stop() throws IOException {
    processes.stop(NAME, Duration.ofSeconds(30));
  }

  private String serverProperties() {
    int broker = config.kafkaPort();
    int controller = broker + 1;
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controller,
        "listeners=PLAINTEXT://127.0.0.1:" + broker + ",CONTROLLER://127.0.0.1:" + controller,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + broker,
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name=PLAINTEXT",
        "log.dirs=" + dataDir(),
        "num.partitions=6",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=6",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        // The log cleaner (compacting the consumer offsets) holds this buffer on the heap for as
        // long as the broker runs; the default, 128 MiB, sized for millions of keys, was most of
        // the heap this broker uses. A few hundred consumer groups' offsets fit in 8 MiB.
        "log.cleaner.dedupe.buffer.size=8388608",
        // Topics are created by the services at start-up, never implicitly.
        "auto.create.topics.enable=false",
        "");
  }

  /**
   * A new cluster id: the URL-safe Base64 (22 characters, no padding) of 16 random bytes, as
   * Kafka's {@code Uuid} prints it. The first byte's top bit is cleared so that the id starts with
   * a letter (A to f): an id starting with '-' would be read as an option by the storage tool.
   */
  static String clusterId() {
    byte[] bytes = new byte[16];
    do {
      RANDOM.nextBytes(bytes);
      bytes[0] &= 0x7f;
    } while (isReserved(bytes));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Kafka reserves the all-zero id and the one ending in 1 (the metadata topic's). */
  private static boolean isReserved(byte[] bytes) {
    for (int i = 0; i < 15; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[15] == 0 || bytes[15] == 1;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static final String LOG4J =
      String.join(
          "\n",
          "status = warn",
          "appender.console.type = Console",
          "appender.console.name = STDOUT",
          "appender.console.layout.type = PatternLayout",
          "appender.console.layout.pattern = [%d] %p %m (%c)%n",
          "rootLogger.level = warn",
          "rootLogger.appenderRef.stdout.ref = STDOUT",
          "logger.server.name = kafka.server.KafkaRaftServer",
          "logger.server.level = info",
          "");
}
