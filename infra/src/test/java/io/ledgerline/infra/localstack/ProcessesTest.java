package io.ledgerline.infra.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessesTest {

  @TempDir Path home;

  private Processes processes() {
    return new Processes(
        StackConfig.resolve(Map.of("home", home.toString(), "repo", home.toString()), Map.of()));
  }

  /** A long-running process that names the stack's home on its command line, as ours do. */
  private Process ours() throws Exception {
    Path marker = Files.writeString(home.resolve("marker"), "");
    return new ProcessBuilder("tail", "-f", "/dev/null", marker.toString()).start();
  }

  @Test
  void killsTheRecordedProcessAndForgetsItOnlyOnceItIsGone() throws Exception {
    Processes processes = processes();
    Process process = ours();
    try {
      processes.recordPid("part", process.pid());
      assertThat(processes.running("part")).isPresent();
      assertThat(processes.forgetIfGone("part")).isFalse();

      assertThat(processes.kill("part")).contains(process.pid());

      assertThat(process.isAlive()).isFalse();
      assertThat(processes.running("part")).isEmpty();
      assertThat(home.resolve("run/part.pid")).exists();
      assertThat(processes.forgetIfGone("part")).isTrue();
      assertThat(home.resolve("run/part.pid")).doesNotExist();
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void neverSignalsAProcessThatIsNotTheStacks() throws Exception {
    Processes processes = processes();
    // As a recycled PID would be: alive, but its command line does not name our home.
    Process stranger = new ProcessBuilder("tail", "-f", "/dev/null").start();
    try {
      processes.recordPid("part", stranger.pid());

      assertThat(processes.running("part")).isEmpty();
      assertThat(processes.kill("part")).isEmpty();
      assertThat(processes.forgetIfGone("part")).isTrue();
      assertThat(stranger.isAlive()).isTrue();
    } finally {
      stranger.destroyForcibly();
    }
  }

  @Test
  void aPartJustStartedIsRunningBeforeItsCommandLineNamesTheHome() throws Exception {
    Processes processes = processes();
    // Seen in CI: the first readiness check right after the start found the JDK's spawn helper's
    // command line, not the part's, took the part for a stranger and reported it exited.
    Process started =
        processes.startDetached(
            "part",
            java.util.List.of("tail", "-f", "/dev/null"),
            home,
            Map.of(),
            home.resolve("logs/part.log"));
    try {
      assertThat(processes.running("part")).isPresent();
      assertThat(processes.forgetIfGone("part")).isFalse();

      assertThat(processes.kill("part")).contains(started.pid());
      assertThat(processes.running("part")).isEmpty();
    } finally {
      started.destroyForcibly();
    }
  }

  @Test
  void aPartThatNeverGetsReadyFailsWithWhatItWasAndTheLastLinesOfItsLog() throws Exception {
    Path log = home.resolve("part.log");
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= Processes.TAIL_LINES + 10; i++) {
      lines.append("line ").append(i).append('\n');
    }
    lines.append("java.net.BindException: Address already in use\n");
    Files.writeString(log, lines);

    var failure =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            java.io.IOException.class,
            () -> Processes.await("elasticsearch", java.time.Duration.ZERO, log, () -> false));

    assertThat(failure.getMessage())
        .startsWith("elasticsearch not ready after 0 s")
        .contains(log.toString())
        .endsWith("java.net.BindException: Address already in use")
        .doesNotContain("line 11\n")
        .contains("line 50");
  }

  @Test
  void aPartThatGetsReadyIsWaitedForWithoutFailing() throws Exception {
    int[] polls = {0};
    Processes.await(
        "kafka", java.time.Duration.ofSeconds(10), home.resolve("none.log"), () -> ++polls[0] == 3);
    assertThat(polls[0]).isEqualTo(3);
  }
}
