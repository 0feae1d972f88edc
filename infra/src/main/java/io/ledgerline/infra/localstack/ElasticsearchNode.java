package io.ledgerline.infra.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A single Elasticsearch 8.19 node from the official integ-test distribution on Maven Central,
 * without security (local use only), run by its own launcher as the unprivileged user.
 */
final class ElasticsearchNode {

  static final String NAME = "elasticsearch";

  private static final Duration PORT_TIMEOUT = Duration.ofSeconds(30);

  /** The node's PID in {@code GET /_nodes/_local/process?filter_path=nodes.*.process.id}. */
  private static final Pattern PROCESS_ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

  private final StackConfig config;
  private final Downloads downloads;
  private final Processes processes;
  private final Log log;

  /** The launcher this object started, to report its exit status; null if another did. */
  private volatile Process launcher;

  ElasticsearchNode(StackConfig config, Downloads downloads, Processes processes, Log log) {
    this.config = config;
    this.downloads = downloads;
    this.processes = processes;
    this.log = log;
  }

  Path nodeDir() {
    return config.data().resolve("elasticsearch");
  }

  Path logFile() {
    return config.logs().resolve("elasticsearch.log");
  }

  private Path pidFile() {
    return nodeDir().resolve("elasticsearch.pid");
  }

  /** The node's own log, which says why it stopped (the launcher's output rarely does). */
  private Path serverLog() {
    return nodeDir().resolve("logs/ledgerline-local.log");
  }

  private String launcherName() {
    return NAME + "-launcher";
  }

  boolean isRunning() {
    return server().isPresent();
  }

  /**
   * The node's JVM: as recorded once it was ready, else as written by the node itself to its PID
   * file (a start that was interrupted before it was recorded).
   */
  Optional<ProcessHandle> server() {
    Optional<ProcessHandle> recorded = processes.running(NAME);
    if (recorded.isPresent()) {
      return recorded;
    }
    try {
      return processes.ours(Long.parseLong(Files.readString(pidFile()).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Starts the node in the background; {@link #awaitReady} waits for it. */
  void start() throws IOException {
    if (isRunning() || processes.running(launcherName()).isPresent()) {
      log.step("Elasticsearch already running on port " + config.elasticsearchPort());
      return;
    }
    cleanUpAfterCrash();
    Processes.awaitPortsFree(
        "Elasticsearch",
        List.of(config.elasticsearchPort(), config.elasticsearchPort() + 100),
        PORT_TIMEOUT,
        log);
    Path distribution = distribution();
    Path configDir = nodeDir().resolve("config");
    if (!Files.exists(configDir)) {
      Files.createDirectories(configDir);
      try (var files = Files.walk(distribution.resolve("config"))) {
        for (Path source : files.toList()) {
          Path target =
              configDir.resolve(distribution.resolve("config").relativize(source).toString());
          if (Files.isDirectory(source)) {
            Files.createDirectories(target);
          } else {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
    Files.createDirectories(nodeDir().resolve("data"));
    Files.createDirectories(nodeDir().resolve("tmp"));
    Files.createDirectories(nodeDir().resolve("logs"));
    Files.writeString(configDir.resolve("elasticsearch.yml"), settings());
    Files.writeString(
        configDir.resolve("jvm.options.d/heap.options"),
        "-Xms" + config.elasticsearchHeap() + "\n-Xmx" + config.elasticsearchHeap() + "\n");
    Processes.giveToServiceUser(nodeDir());
    Files.deleteIfExists(pidFile());
    Files.deleteIfExists(logFile());
    PartState.countStart(config, NAME);
    log.step("Starting Elasticsearch on port " + config.elasticsearchPort());
    // -d returns once the node runs; the starter thread lets PostgreSQL and Kafka start meanwhile.
    Map<String, String> environment =
        Map.of(
            "ES_PATH_CONF", configDir.toString(),
            "ES_JAVA_HOME", System.getProperty("java.home"),
            "ES_TMPDIR", nodeDir().resolve("tmp").toString());
    launcher =
        processes.startDetached(
            launcherName(),
            Processes.asServiceUser(
                List.of(
                    distribution.resolve("bin/elasticsearch").toString(),
                    "-d",
                    "-p",
                    pidFile().toString())),
            nodeDir(),
            environment,
            logFile());
  }

  /**
   * Removes what a killed node leaves behind, but only once its processes are really gone: stale
   * PID files and the data folder's {@code node.lock}.
   */
  private void cleanUpAfterCrash() throws IOException {
    processes.forgetIfGone(NAME);
    processes.forgetIfGone(launcherName());
    Files.deleteIfExists(pidFile());
    Path data = nodeDir().resolve("data");
    Files.deleteIfExists(data.resolve("node.lock"));
    // Elasticsearch 8 keeps a plain file named "nodes" here; older layouts a folder.
    Path legacy = data.resolve("nodes").resolve("0");
    if (Files.isDirectory(legacy)) {
      Files.deleteIfExists(legacy.resolve("node.lock"));
    }
  }

  /**
   * Waits until the node we started answers: the cluster is at least yellow and the node serving
   * the port is the process in our PID file, not a leftover still holding it. Fails at once when
   * the node and its launcher are gone.
   */
  void awaitReady(Duration timeout) throws IOException {
    Processes.await(
        "Elasticsearch",
        timeout,
        logFile(),
        () -> {
          Optional<ProcessHandle> server = server();
          if (server.isEmpty() && processes.running(launcherName()).isEmpty()) {
            throw Processes.failure(
                "Elasticsearch exited" + launcherExit(), logFile(), serverLog());
          }
          return server.isPresent()
              && Probes.httpOk(
                  config.elasticsearchUrl() + "/_cluster/health?wait_for_status=yellow&timeout=1s")
              && servedBy(server.get().pid());
        });
    processes.recordPid(NAME, server().orElseThrow().pid());
  }

  private boolean servedBy(long pid) {
    return Probes.httpBody(
            config.elasticsearchUrl() + "/_nodes/_local/process?filter_path=nodes.*.process.id")
        .map(PROCESS_ID::matcher)
        .filter(Matcher::find)
        .map(match -> Long.parseLong(match.group(1)) == pid)
        .orElse(false);
  }

  private String launcherExit() {
    Process started = launcher;
    if (started == null || started.isAlive()) {
      return "";
    }
    return " (launcher exit status " + started.exitValue() + ")";
  }

  /** Kills the node's JVM (and a launcher still waiting for it) with SIGKILL, as a crash would. */
  Optional<Long> kill() {
    Optional<ProcessHandle> server = server();
    server.ifPresent(
        handle -> {
          handle.destroyForcibly();
          Processes.awaitExit(handle, Duration.ofSeconds(10));
        });
    processes.kill(launcherName());
    return server.map(ProcessHandle::pid);
  }

  void stop() throws IOException {
    // A node started but not yet recorded (an interrupted start) is stopped too.
    Optional<ProcessHandle> unrecorded =
        processes.running(NAME).isEmpty() ? server() : Optional.empty();
    if (unrecorded.isPresent()) {
      processes.recordPid(NAME, unrecorded.get().pid());
    }
    processes.stop(NAME, Duration.ofSeconds(60));
    processes.stop(launcherName(), Duration.ofSeconds(5));
  }

  private String settings() {
    return String.join(
        "\n",
        "cluster.name: ledgerline-local",
        "node.name: local",
        "discovery.type: single-node",
        "xpack.security.enabled: false",
        "network.host: 127.0.0.1",
        "http.port: " + config.elasticsearchPort(),
        "transport.port: " + (config.elasticsearchPort() + 100),
        "path.data: " + nodeDir().resolve("data"),
        "path.logs: " + nodeDir().resolve("logs"),
        // A developer's disk may be fuller than a server's: never go read-only for that locally.
        "cluster.routing.allocation.disk.threshold_enabled: false",
        "action.destructive_requires_name: true",
        "");
  }

  /** Unpacks the distribution once into the downloads folder. */
  private Path distribution() throws IOException {
    Path target = config.downloads().resolve("elasticsearch-" + Versions.ELASTICSEARCH);
    if (Files.exists(target.resolve("bin/elasticsearch"))) {
      return target;
    }
    Path zip = downloads.elasticsearchZip();
    Path staging =
        config.downloads().resolve("elasticsearch-" + Versions.ELASTICSEARCH + ".partial");
    Downloads.deleteRecursively(staging);
    Files.createDirectories(staging);
    String prefix = "elasticsearch-" + Versions.ELASTICSEARCH + "/";
    try (ZipFile archive = new ZipFile(zip.toFile())) {
      for (ZipEntry entry : java.util.Collections.list(archive.entries())) {
        String name =
            entry.getName().startsWith(prefix)
                ? entry.getName().substring(prefix.length())
                : entry.getName();
        Path out = staging.resolve(name).normalize();
        if (!out.startsWith(staging)) {
          throw new IOException("unsafe path in archive: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
          continue;
        }
        Files.createDirectories(out.getParent());
        try (InputStream in = archive.getInputStream(entry)) {
          Files.copy(in, out);
        }
        if (name.startsWith("bin/") || name.contains("/bin/")) {
          out.toFile().setExecutable(true, false);
        }
      }
    }
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }
}
