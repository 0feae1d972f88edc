package io.ledgerline.infra.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One of Ledgerline's Spring Boot services, run from its executable jar. */
final class ServiceNode {

  private final String name;
  private final String module;
  private final int port;
  private final Map<String, String> environment;
  private final StackConfig config;
  private final Processes processes;
  private final Log log;

  ServiceNode(
      String name,
      String module,
      int port,
      Map<String, String> environment,
      StackConfig config,
      Processes processes,
      Log log) {
    this.name = name;
    this.module = module;
    this.port = port;
    this.environment = environment;
    this.config = config;
    this.processes = processes;
    this.log = log;
  }

  String name() {
    return name;
  }

  Path logFile() {
    return config.logs().resolve(name + ".log");
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  boolean isRunning() {
    return processes.running(name).isPresent();
  }

  void start() throws IOException {
    if (isRunning()) {
      log.step(name + " already running on port " + port);
      return;
    }
    Path jar = executableJar();
    Files.deleteIfExists(logFile());
    log.step("Starting " + name + " on port " + port);
    List<String> command = new ArrayList<>();
    command.add(KafkaNode.java());
    command.add("-Xms64m");
    command.add("-Xmx" + config.serviceHeap());
    command.add("-XX:+UseSerialGC");
    command.add("-XX:+ExitOnOutOfMemoryError");
    // Marks the process as this stack's, so down/status never touch another.
    command.add("-Dledgerline.home=" + config.home());
    command.add("-jar");
    command.add(jar.toString());
    Map<String, String> env = new java.util.HashMap<>(environment);
    env.put("SERVER_PORT", Integer.toString(port));
    processes.startDetached(name, command, config.run(), env, logFile());
  }

  void awaitReady(Duration timeout) throws IOException {
    Processes.await(
        name,
        timeout,
        logFile(),
        () -> {
          if (!isRunning()) {
            throw new IllegalStateException(name + " exited:\n" + Processes.tail(logFile(), 40));
          }
          return Probes.httpOk(url() + "/actuator/health/readiness");
        });
  }

  void stop() throws IOException {
    processes.stop(name, Duration.ofSeconds(30));
  }

  private Path executableJar() throws IOException {
    Path target = config.repo().resolve(module).resolve("target");
    if (Files.isDirectory(target)) {
      try (var files = Files.list(target)) {
        var jar = files.filter(f -> f.getFileName().toString().endsWith("-exec.jar")).findFirst();
        if (jar.isPresent()) {
          return jar.get();
        }
      }
    }
    throw new IOException(
        "no executable jar in " + target + "; build it with ./mvnw -DskipTests package");
  }
}
