package io.ledgerline.infra.localstack;

import io.ledgerline.infra.gateway.GatewaySimulator;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The payment gateway simulator ({@link GatewaySimulator}), a small JVM of its own run from the
 * launcher's classes, listening on {@code --gateway-port} and sending its webhooks, signed with the
 * stack's webhook secret, to the command side. Not run when the stack uses a real gateway ({@code
 * --gateway-api-base}).
 */
final class GatewaySimulatorNode {

  static final String NAME = "gateway";

  private static final Duration PORT_TIMEOUT = Duration.ofSeconds(30);
  private static final String HEALTH = "/health";

  private final StackConfig config;
  private final Processes processes;
  private final Log log;

  GatewaySimulatorNode(StackConfig config, Processes processes, Log log) {
    this.config = config;
    this.processes = processes;
    this.log = log;
  }

  Path logFile() {
    return config.logs().resolve(NAME + ".log");
  }

  String url() {
    return config.gatewayApiBase();
  }

  Optional<ProcessHandle> process() {
    return processes.running(NAME);
  }

  boolean isRunning() {
    return process().isPresent();
  }

  void start() throws IOException {
    if (isRunning()) {
      log.step("Gateway simulator already running on port " + config.gatewayPort());
      return;
    }
    processes.forgetIfGone(NAME);
    Processes.awaitPortsFree(
        "the gateway simulator", List.of(config.gatewayPort()), PORT_TIMEOUT, log);
    PartState.countStart(config, NAME);
    Files.deleteIfExists(logFile());
    log.step("Starting the gateway simulator on port " + config.gatewayPort());
    processes.startDetached(
        NAME,
        List.of(
            KafkaNode.java(),
            "-Xms16m",
            "-Xmx48m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            // Marks the process as this stack's, so down/status never touch another.
            "-Dledgerline.home=" + config.home(),
            "-cp",
            classpath(),
            GatewaySimulator.class.getName(),
            "--port",
            Integer.toString(config.gatewayPort()),
            "--webhook-url",
            config.gatewayWebhookUrl()),
        config.run(),
        // Secrets through the environment, not the command line that ps shows.
        Map.of(
            GatewaySimulator.API_KEY_VARIABLE, config.gatewayApiKey(),
            GatewaySimulator.WEBHOOK_SECRET_VARIABLE, config.gatewayWebhookSecret()),
        logFile());
  }

  /** Waits until it answers its health check; fails at once when its process is gone. */
  void awaitReady(Duration timeout) throws IOException {
    Processes.await(
        "the gateway simulator",
        timeout,
        logFile(),
        () -> {
          if (!isRunning()) {
            throw Processes.failure("the gateway simulator exited", logFile());
          }
          return Probes.httpOk(url() + HEALTH);
        });
  }

  /** For {@code status}: "healthy" or "no answer". */
  String health() {
    return Probes.httpOk(url() + HEALTH) ? "healthy" : "no answer";
  }

  /** Kills it with SIGKILL, as a crash would; returns its PID if it ran. */
  Optional<Long> kill() {
    return processes.kill(NAME);
  }

  void stop() throws IOException {
    processes.stop(NAME, Duration.ofSeconds(10));
  }

  /** Where the simulator's class was loaded from: the launcher's classes (or jar). */
  private static String classpath() throws IOException {
    try {
      return Path.of(
              GatewaySimulator.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException | RuntimeException e) {
      throw new IOException("cannot find the gateway simulator's classes", e);
    }
  }
}
