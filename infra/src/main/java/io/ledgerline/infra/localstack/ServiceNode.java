package io.ledgerline.infra.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One of Ledgerline's Spring Boot services, run from its executable jar under {@code
 * infra/bin/supervise}, which starts the service again when it dies (as an orchestrator would). The
 * supervisor's PID is recorded as {@code <name>-supervisor}, the service JVM's (written by the
 * supervisor) as {@code <name>}.
 */
final class ServiceNode {

  /** Placeholder the supervisor replaces with each start's time, naming that start's heap dump. */
  static final String TIMESTAMP = "@TIMESTAMP@";

  private static final String READINESS = "/actuator/health/readiness";

  /** What {@link #health} says of a service whose readiness probe answers 200. */
  static final String HEALTHY = "healthy";

  private static final Duration PORT_TIMEOUT = Duration.ofSeconds(30);

  private final String name;
  private final String module;
  private final int port;
  private final Map<String, String> environment;
  private final String heap;
  private final StackConfig config;
  private final Processes processes;
  private final Log log;

  /** The restart count when this object last started the service; -1 when it did not. */
  private volatile int restartsAtStart = -1;

  ServiceNode(
      String name,
      String module,
      int port,
      Map<String, String> environment,
      StackConfig config,
      Processes processes,
      Log log) {
    this(name, module, port, environment, config.serviceHeap(), config, processes, log);
  }

  /** A service with a heap of its own (the identity provider needs less than the services). */
  ServiceNode(
      String name,
      String module,
      int port,
      Map<String, String> environment,
      String heap,
      StackConfig config,
      Processes processes,
      Log log) {
    this.name = name;
    this.module = module;
    this.port = port;
    this.environment = environment;
    this.heap = heap;
    this.config = config;
    this.processes = processes;
    this.log = log;
  }

  String name() {
    return name;
  }

  String supervisorName() {
    return name + "-supervisor";
  }

  Path logFile() {
    return config.logs().resolve(name + ".log");
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Whether the service's JVM runs (it may still be starting). */
  boolean isRunning() {
    return process().isPresent();
  }

  Optional<ProcessHandle> process() {
    return processes.running(name);
  }

  /** Whether its supervisor runs: then the service runs or is about to be started again. */
  boolean isSupervised() {
    return supervisor().isPresent();
  }

  Optional<ProcessHandle> supervisor() {
    return processes.running(supervisorName());
  }

  /** The stop marker: an exit of the service while it exists was asked for, not a crash. */
  private Path stopMarker() {
    return config.run().resolve(name + ".stop");
  }

  /** Starts the supervisor (which starts the service) unless it or the service runs already. */
  void start() throws IOException {
    restartsAtStart = -1;
    if (isSupervised()) {
      // Never a second copy: the supervisor runs the service, or restarts it after a crash.
      log.step(name + " already running on port " + port + " (supervised)");
      return;
    }
    if (isRunning()) {
      log.step(
          name
              + " already running on port "
              + port
              + " without its supervisor; 'ledgerline restart "
              + name
              + "' supervises it again");
      return;
    }
    processes.forgetIfGone(name);
    processes.forgetIfGone(supervisorName());
    Files.deleteIfExists(stopMarker());
    Processes.awaitPortsFree(name, List.of(port), PORT_TIMEOUT, log);
    Path jar = executableJar();
    Path supervise = config.repo().resolve("infra/bin/supervise");
    if (!Files.isRegularFile(supervise)) {
      throw new IOException("the service supervisor " + supervise + " is missing");
    }
    PartState.countStart(config, name);
    restartsAtStart = PartState.read(config, name).restarts();
    Files.deleteIfExists(logFile());
    log.step("Starting " + name + " on port " + port);
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(supervise.toString());
    command.addAll(
        List.of(
            "--name",
            name,
            "--run",
            config.run().toString(),
            "--logs",
            config.logs().toString(),
            "--port",
            Integer.toString(port),
            "--"));
    command.add(KafkaNode.java());
    command.addAll(jvmOptions());
    // The supervisor keeps the two newest dumps, so each failure can be examined afterwards.
    command.add("-XX:+HeapDumpOnOutOfMemoryError");
    command.add("-XX:HeapDumpPath=" + config.logs().resolve(name + "-" + TIMESTAMP + ".hprof"));
    // Marks the process as this stack's, so down/status never touch another.
    command.add("-Dledgerline.home=" + config.home());
    // From the extracted jar with its class-data archive once trained; else from the jar itself.
    command.addAll(ClassDataArchive.of(config.home(), module, jar).launchArguments());
    Map<String, String> env = new HashMap<>(environment);
    env.put("SERVER_PORT", Integer.toString(port));
    processes.startDetached(supervisorName(), command, config.run(), env, logFile());
  }

  /**
   * Trains the service's class-data archive for the jar it would start, unless it is trained or the
   * service runs already (see {@link ClassDataArchive}); a failed training only means a slower
   * start. Needs what the service's start needs: PostgreSQL and Kafka up.
   */
  void trainClassDataArchive() throws IOException {
    if (isSupervised() || isRunning()) {
      return;
    }
    ClassDataArchive.of(config.home(), module, executableJar())
        .train(name, jvmOptions(), environment, config.logs().resolve(name + "-training.log"), log);
  }

  private List<String> jvmOptions() {
    return List.of("-Xms64m", "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");
  }

  /**
   * Waits until the service is ready. During a start ({@code duringStart}) a service process that
   * exits before it is ready fails the start, and the service is stopped so that it does not
   * restart in a loop; otherwise restarts by the supervisor are waited out. Either way it fails
   * when neither the service nor its supervisor runs.
   */
  void awaitReady(Duration timeout, boolean duringStart) throws IOException {
    ProcessHandle[] watched = {null};
    Processes.await(
        name,
        timeout,
        logFile(),
        () -> {
          if (duringStart && exitedSinceStart(watched[0])) {
            stop();
            throw Processes.failure(
                name
                    + " exited during start-up"
                    + lastExit()
                    + "; stopped it so that it does not restart in a loop",
                logFile());
          }
          Optional<ProcessHandle> process = process();
          if (process.isEmpty()) {
            if (!isSupervised()) {
              throw Processes.failure(name + " is not running" + lastExit(), logFile());
            }
            return false; // The supervisor is about to start it (again).
          }
          watched[0] = process.get();
          return Probes.httpOk(url() + READINESS);
        });
    restartsAtStart = -1;
  }

  /**
   * Whether the service exited since its start: the process seen starting is gone, or (when this
   * object started it) the supervisor already counted a restart.
   */
  private boolean exitedSinceStart(ProcessHandle watched) {
    if (watched != null && !watched.isAlive()) {
      return true;
    }
    int atStart = restartsAtStart;
    return atStart >= 0 && PartState.read(config, name).restarts() > atStart;
  }

  private String lastExit() {
    PartState state = PartState.read(config, name);
    return state.lastExitCode().isEmpty() ? "" : " (exit status " + state.lastExitCode() + ")";
  }

  /** For {@code status}: "healthy" (ready), "not ready (HTTP 503)" or "no answer". */
  String health() {
    int status = Probes.httpStatus(url() + READINESS);
    return switch (status) {
      case 200 -> HEALTHY;
      case -1 -> "no answer";
      default -> "not ready (HTTP " + status + ")";
    };
  }

  /**
   * Kills the service's JVM with SIGKILL, as a crash would; its supervisor starts it again. Returns
   * the PID killed, if it ran.
   */
  Optional<Long> kill() {
    return processes.kill(name);
  }

  /** Stops the supervisor (which stops the service with it), then any service JVM left. */
  void stop() throws IOException {
    if (isSupervised()) {
      Files.createDirectories(config.run());
      Files.writeString(stopMarker(), "");
    }
    // The supervisor waits for the service's graceful shutdown, so give it longer than that.
    processes.stop(supervisorName(), Duration.ofSeconds(45));
    // A JVM left by a supervisor that was killed, or started before there were supervisors.
    processes.stop(name, Duration.ofSeconds(30));
    Files.deleteIfExists(stopMarker());
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
