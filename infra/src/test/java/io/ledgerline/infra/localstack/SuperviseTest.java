package io.ledgerline.infra.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code infra/bin/supervise}, the services' supervisor, driven with stand-in services. */
@Timeout(60)
class SuperviseTest {

  @TempDir Path home;

  private StackConfig config;
  private final List<Process> started = new ArrayList<>();

  @BeforeEach
  void folders() throws IOException {
    config =
        StackConfig.resolve(Map.of("home", home.toString(), "repo", home.toString()), Map.of());
    Files.createDirectories(config.run());
    Files.createDirectories(config.logs());
  }

  @org.junit.jupiter.api.AfterEach
  void stopLeftovers() {
    started.forEach(Process::destroyForcibly);
    try {
      long pid = Long.parseLong(Files.readString(config.run().resolve("svc.pid")).trim());
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    } catch (IOException | NumberFormatException e) {
      // No service left.
    }
  }

  private static Path script() {
    // Surefire runs in the module folder; an IDE may run in the repository root.
    Path inModule = Path.of("bin/supervise");
    return Files.exists(inModule) ? inModule : Path.of("infra/bin/supervise");
  }

  private Process supervise(List<String> options, String... service) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", script().toString()));
    command.addAll(
        List.of(
            "--name", "svc", "--run", config.run().toString(), "--logs", config.logs().toString()));
    command.addAll(options);
    command.add("--");
    command.addAll(List.of(service));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(config.logs().resolve("svc.log").toFile())
            .start();
    started.add(process);
    return process;
  }

  private PartState state() {
    return PartState.read(config, "svc");
  }

  private long servicePid() throws IOException {
    return Long.parseLong(Files.readString(config.run().resolve("svc.pid")).trim());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private boolean hasServicePid(long other) {
    try {
      long pid = servicePid();
      return pid != other && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  @Test
  void restartsAFailingServiceWithAGrowingBackoffAndRecordsEachExit() throws Exception {
    Process supervisor = supervise(List.of(), "bash", "-c", "exit 3");

    await("two restarts", () -> state().restarts() >= 2);

    assertThat(state().lastExitCode()).isEqualTo("3");
    assertThat(state().lastExitAt()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    String log = Files.readString(config.logs().resolve("svc.log"));
    assertThat(log).contains("restart 1 in 1s").contains("restart 2 in 2s");

    Files.writeString(config.run().resolve("svc.stop"), "");
    supervisor.destroy();
    assertThat(supervisor.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(state().state()).isEqualTo("stopped");
  }

  @Test
  void aKilledServiceIsStartedAgainAndAStopTakesTheServiceWithIt() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket()) {
      free.bind(new InetSocketAddress("127.0.0.1", 0));
      port = free.getLocalPort();
    }
    Process supervisor =
        supervise(List.of("--port", Integer.toString(port)), "tail", "-f", "/dev/null");
    await("the service", () -> hasServicePid(0));
    long first = servicePid();

    ProcessHandle.of(first).orElseThrow().destroyForcibly();

    await("the service started again", () -> hasServicePid(first));
    long second = servicePid();
    assertThat(state().restarts()).isEqualTo(1);
    assertThat(state().lastExitCode()).isEqualTo("137");
    assertThat(state().state()).isEqualTo("running");

    // A plain SIGTERM, without the stop marker: the supervisor stops, and the service with it.
    supervisor.destroy();
    assertThat(supervisor.waitFor(10, TimeUnit.SECONDS)).isTrue();
    await("the service gone", () -> ProcessHandle.of(second).isEmpty());
    assertThat(state().state()).isEqualTo("stopped");
    assertThat(state().restarts()).isEqualTo(1);
    assertThat(config.run().resolve("svc.pid")).doesNotExist();
  }

  @Test
  void aCleanExitEndsSupervisionAndTheTwoNewestHeapDumpsAreKept() throws Exception {
    Path logs = config.logs();
    for (int age = 3; age >= 1; age--) {
      Path dump = Files.writeString(logs.resolve("svc-old" + age + ".hprof"), "dump");
      Files.setLastModifiedTime(dump, FileTime.from(Instant.now().minusSeconds(60L * age)));
    }
    Path other = Files.writeString(logs.resolve("other-old.hprof"), "dump");
    Path argument = home.resolve("argument");

    Process supervisor =
        supervise(
            List.of(),
            "bash",
            "-c",
            "printf %s \"$1\" > \"$0\"",
            argument.toString(),
            "-XX:HeapDumpPath=" + logs.resolve("svc-" + ServiceNode.TIMESTAMP + ".hprof"));

    assertThat(supervisor.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(supervisor.exitValue()).isZero();
    assertThat(state().state()).isEqualTo("exited");
    assertThat(state().restarts()).isZero();
    assertThat(Files.readString(argument))
        .matches("-XX:HeapDumpPath=.*/svc-\\d{8}T\\d{6}Z\\.hprof");
    assertThat(logs.resolve("svc-old3.hprof")).doesNotExist();
    assertThat(logs.resolve("svc-old2.hprof")).exists();
    assertThat(logs.resolve("svc-old1.hprof")).exists();
    assertThat(other).exists();
  }
}
