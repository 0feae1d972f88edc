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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts the stack's processes detached (their own session, output to a log file), remembers each
 * by PID in the run folder, and stops exactly those PIDs: never anything found by name.
 */
final class Processes {

  /** PostgreSQL and Elasticsearch refuse to run as root; as root they run as this user. */
  static final String SERVICE_USER = "nobody";

  static final String SERVICE_GROUP = "nogroup";

  /**
   * The processes this JVM started. A handle is its PID and its start time, so a recycled PID is
   * never among them. Right after a start, a process's command line is still the JDK's spawn
   * helper's, before the exec of its command: until then only this set tells it is ours.
   */
  private static final Set<ProcessHandle> STARTED = ConcurrentHashMap.newKeySet();

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
  Process startDetached(
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
    Process process =
        withOutputTo(logFile, workDir, environment, detached)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
    STARTED.add(process.toHandle());
    process.onExit().thenRun(() -> STARTED.remove(process.toHandle()));
    recordPid(name, process.pid());
    return process;
  }

  /**
   * A builder for a process that runs in {@code workDir} with {@code environment} added, reads
   * nothing, and writes its output and errors to {@code logFile} (replaced; append with {@link
   * ProcessBuilder#redirectOutput}).
   */
  static ProcessBuilder withOutputTo(
      Path logFile, Path workDir, Map<String, String> environment, List<String> command) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    // glibc gives a many-threaded process up to eight malloc arenas per core, and each keeps what
    // its threads freed (the JIT compilers' scratch memory above all): tens of MiB per JVM that
    // nothing uses again. Two arenas are plenty for these processes; a caller may still set its
    // own.
    builder.environment().put("MALLOC_ARENA_MAX", "2");
    builder.environment().putAll(environment);
    return builder;
  }

  void recordPid(String name, long pid) throws IOException {
    Files.createDirectories(config.run());
    Files.writeString(pidFile(name), Long.toString(pid));
  }

  private Path pidFile(String name) {
    return config.run().resolve(name + ".pid");
  }

  /** The live process recorded under {@code name}, if it is still ours. */
  Optional<ProcessHandle> running(String name) {
    Path pidFile = pidFile(name);
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      return ours(Long.parseLong(Files.readString(pidFile).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The live process {@code pid}, if it is one of this stack's (see {@link #isOurs}). */
  Optional<ProcessHandle> ours(long pid) {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isOurs);
  }

  /**
   * A recycled PID belongs to someone else: ours were started by this JVM, or mention our home
   * folder on the command line (those a launcher started before, and their children).
   */
  private boolean isOurs(ProcessHandle process) {
    if (STARTED.contains(process)) {
      return true;
    }
    try {
      String commandLine =
          Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
      return commandLine.contains(config.home().toString());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Deletes the PID file of {@code name} when its process is really gone (or the PID now belongs to
   * someone else), as after a SIGKILL. Returns whether there was such a stale file.
   */
  boolean forgetIfGone(String name) throws IOException {
    Path pidFile = pidFile(name);
    if (Files.exists(pidFile) && running(name).isEmpty()) {
      Files.deleteIfExists(pidFile);
      return true;
    }
    return false;
  }

  /**
   * Sends SIGKILL to the process recorded under {@code name}, if it is still ours, and waits until
   * it is gone. Its PID file stays, as a crash would leave it. Returns the PID killed, if any.
   */
  Optional<Long> kill(String name) {
    Optional<ProcessHandle> process = running(name);
    process.ifPresent(
        handle -> {
          handle.destroyForcibly();
          awaitExit(handle, Duration.ofSeconds(10));
        });
    return process.map(ProcessHandle::pid);
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
    Files.deleteIfExists(pidFile(name));
    return process.isPresent();
  }

  static boolean awaitExit(ProcessHandle handle, Duration timeout) {
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

  /**
   * Waits until nothing listens on {@code ports} and they can be bound again: a process killed with
   * SIGKILL may leave children holding them for a while. Fails after {@code timeout}.
   */
  static void awaitPortsFree(String what, List<Integer> ports, Duration timeout, Log log)
      throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    boolean told = false;
    while (true) {
      List<Integer> busy = ports.stream().filter(port -> !Probes.portFree(port)).toList();
      if (busy.isEmpty()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IOException(
            what
                + " not started: port "
                + busy.get(0)
                + " is still in use after "
                + timeout.toSeconds()
                + " s (see who holds it: ss -ltnp 'sport = :"
                + busy.get(0)
                + "')");
      }
      if (!told) {
        log.step("Waiting for port(s) " + busy + " to be released before starting " + what);
        told = true;
      }
      sleep(250, what);
    }
  }

  /**
   * Waits until no process of {@code executable} works in {@code folder} any more: PostgreSQL's
   * backends outlive a killed postmaster for a moment, and a new one refuses to start while they
   * hold its shared memory. Only waits; it signals nothing.
   */
  static void awaitNoProcessIn(String what, Path folder, Path executable, Duration timeout)
      throws IOException {
    if (!Files.isDirectory(folder) || !Files.exists(executable)) {
      return;
    }
    Path realFolder = folder.toRealPath();
    Path realExecutable = executable.toRealPath();
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      List<Long> left = running(realExecutable, realFolder);
      if (left.isEmpty()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IOException(
            what
                + " not started: processes "
                + left
                + " of a previous run still work in "
                + folder
                + " after "
                + timeout.toSeconds()
                + " s");
      }
      sleep(250, what);
    }
  }

  private static List<Long> running(Path executable, Path workDir) {
    try (var all = ProcessHandle.allProcesses()) {
      return all.map(ProcessHandle::pid)
          .filter(pid -> pid != ProcessHandle.current().pid())
          .filter(pid -> procLink(pid, "cwd").equals(Optional.of(workDir)))
          .filter(pid -> procLink(pid, "exe").equals(Optional.of(executable)))
          .toList();
    }
  }

  private static Optional<Path> procLink(long pid, String link) {
    try {
      return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), link)));
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return Optional.empty(); // Gone meanwhile, or not ours to inspect.
    }
  }

  /** A readiness check; it may fail fast by throwing when the part can no longer get ready. */
  @FunctionalInterface
  interface Check {
    boolean holds() throws IOException;
  }

  /** Polls {@code condition} until it holds, failing with the log's tail after {@code timeout}. */
  static void await(String what, Duration timeout, Path logFile, Check condition)
      throws IOException {
    Instant deadline = Instant.now().plus(timeout);
    long pause = 100;
    while (!condition.holds()) {
      if (Instant.now().isAfter(deadline)) {
        throw failure(what + " not ready after " + timeout.toSeconds() + " s", logFile);
      }
      sleep(pause, what);
      pause = Math.min(pause * 2, 1000);
    }
  }

  private static void sleep(long millis, String what) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + what, e);
    }
  }

  /** How many log lines a start-up failure shows. */
  static final int TAIL_LINES = 40;

  /** A start-up failure: what went wrong and the last lines of each log that may say why. */
  static IOException failure(String message, Path... logFiles) {
    StringBuilder text = new StringBuilder(message);
    for (Path logFile : logFiles) {
      text.append("; last lines of ")
          .append(logFile)
          .append(":\n")
          .append(tail(logFile, TAIL_LINES));
    }
    return new IOException(text.toString());
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return "(no log)";
    }
  }
}
