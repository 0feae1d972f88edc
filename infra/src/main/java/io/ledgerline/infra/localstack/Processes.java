package io.ledgerline.infra.localstack;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Starts the stack's processes detached (their own session, output to a log file), remembers each
 * by PID in the run folder, and stops exactly those PIDs: never anything found by name.
 */
final class Processes {

  /** PostgreSQL and Elasticsearch refuse to run as root; as root they run as this user. */
  static final String SERVICE_USER = "nobody";

  static final String SERVICE_GROUP = "nogroup";

  private final StackConfig config;

  Processes(StackConfig config) {
    this.config = config;
  }

  static boolean isRoot() {
    return new UnixSystem().getUid() == 0;
  }

  /** The command, run as the unprivileged service user when we are root. */
  static List<String> asServiceUser(List<String> command) {
    if (!isRoot()) {
      return command;
    }
    List<String> wrapped =
        new ArrayList<>(
            List.of(
                "setpriv",
                "--reuid=" + SERVICE_USER,
                "--regid=" + SERVICE_GROUP,
                "--clear-groups"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Hands a folder to the service user when we are root, so it can write its data there. */
  static void giveToServiceUser(Path folder) throws IOException {
    if (isRoot()) {
      run(
          List.of("chown", "-R", SERVICE_USER + ":" + SERVICE_GROUP, folder.toString()),
          null,
          Map.of());
    }
  }

  /** Runs a command to completion; fails with its output when it exits non-zero. */
  static String run(List<String> command, Path workDir, Map<String, String> environment)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (workDir != null) {
      builder.directory(workDir.toFile());
    }
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    try {
      if (process.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " failed:\n" + output);
      }
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return output;
  }

  /** Starts a long-running process in its own session and records its PID under {@code name}. */
  long startDetached(
      String name,
      List<String> command,
      Path workDir,
      Map<String, String> environment,
      Path logFile)
      throws IOException {
    List<String> detached = new ArrayList<>();
    detached.add("setsid");
    detached.addAll(command);
    Files.createDirectories(logFile.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(detached)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().putAll(environment);
    long pid = builder.start().pid();
    recordPid(name, pid);
    return pid;
  }

  void recordPid(String name, long pid) throws IOException {
    Files.createDirectories(config.run());
    Files.writeString(config.run().resolve(name + ".pid"), Long.toString(pid));
  }

  /** The live process recorded under {@code name}, if it is still ours. */
  Optional<ProcessHandle> running(String name) {
    Path pidFile = config.run().resolve(name + ".pid");
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isOurs);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A recycled PID belongs to someone else: ours mention our home folder on the command line. */
  private boolean isOurs(ProcessHandle process) {
    try {
      String commandLine =
          Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
      return commandLine.contains(config.home().toString());
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the process recorded under {@code name}: SIGTERM, then SIGKILL after the grace time. */
  boolean stop(String name, Duration grace) throws IOException {
    Optional<ProcessHandle> process = running(name);
    if (process.isPresent()) {
      ProcessHandle handle = process.get();
      handle.destroy();
      if (!awaitExit(handle, grace)) {
        handle.destroyForcibly();
        awaitExit(handle, Duration.ofSeconds(10));
      }
    }
    Files.deleteIfExists(config.run().resolve(name + ".pid"));
    return process.isPresent();
  }

  private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
    try {
      handle.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !handle.isAlive();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return !handle.isAlive();
    }
  }

  /** Polls {@code condition} until it holds, failing with the log's tail after {@code timeout}. */
  static void await(String what, Duration timeout, Path logFile, BooleanSupplier condition)
      throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    long pause = 100;
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IOException(
            what
                + " not ready after "
                + timeout.toSeconds()
                + " s; last lines of "
                + logFile
                + ":\n"
                + tail(logFile, 30));
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + what, e);
      }
      pause = Math.min(pause * 2, 1000);
    }
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
