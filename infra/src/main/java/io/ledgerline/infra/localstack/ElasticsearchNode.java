package io.ledgerline.infra.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A single Elasticsearch 8.19 node from the official integ-test distribution on Maven Central,
 * without security (local use only), run by its own launcher as the unprivileged user.
 */
final class ElasticsearchNode {

  static final String NAME = "elasticsearch";

  private final StackConfig config;
  private final Downloads downloads;
  private final Processes processes;
  private final Log log;

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

  boolean isRunning() {
    return processes.running(NAME).isPresent();
  }

  /** Starts the node in the background; {@link #awaitReady} waits for it. */
  void start() throws IOException {
    if (isRunning()) {
      log.step("Elasticsearch already running on port " + config.elasticsearchPort());
      return;
    }
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
    Path pidFile = nodeDir().resolve("elasticsearch.pid");
    Files.deleteIfExists(pidFile);
    Files.deleteIfExists(logFile());
    log.step("Starting Elasticsearch on port " + config.elasticsearchPort());
    // -d returns once the node runs; the starter thread lets PostgreSQL and Kafka start meanwhile.
    Map<String, String> environment =
        Map.of(
            "ES_PATH_CONF", configDir.toString(),
            "ES_JAVA_HOME", System.getProperty("java.home"),
            "ES_TMPDIR", nodeDir().resolve("tmp").toString());
    processes.startDetached(
        NAME + "-launcher",
        Processes.asServiceUser(
            List.of(
                distribution.resolve("bin/elasticsearch").toString(),
                "-d",
                "-p",
                pidFile.toString())),
        nodeDir(),
        environment,
        logFile());
  }

  void awaitReady(Duration timeout) throws IOException {
    Path pidFile = nodeDir().resolve("elasticsearch.pid");
    Processes.await(
        "Elasticsearch",
        timeout,
        logFile(),
        () ->
            Probes.httpOk(
                    config.elasticsearchUrl()
                        + "/_cluster/health?wait_for_status=yellow&timeout=1s")
                && Files.exists(pidFile));
    processes.recordPid(NAME, Long.parseLong(Files.readString(pidFile).trim()));
  }

  void stop() throws IOException {
    processes.stop(NAME, Duration.ofSeconds(60));
    processes.stop(NAME + "-launcher", Duration.ofSeconds(5));
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
