package io.ledgerline.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ledgerline.infra.localstack.StackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessSamplerTest {

  @TempDir Path home;
  private Process part;

  @AfterEach
  void stopThePart() throws Exception {
    if (part != null) {
      // Children first: a shell's child outlives the shell, and would spin on for the whole build.
      List<ProcessHandle> children = part.descendants().toList();
      children.forEach(ProcessHandle::destroyForcibly);
      part.destroyForcibly();
      part.waitFor(10, TimeUnit.SECONDS);
      for (ProcessHandle child : children) {
        child.onExit().get(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aWindowShorterThanTheMemoryPeriodStillReportsEachPartsMemory() throws Exception {
    try (ProcessSampler sampler = new ProcessSampler(commandSideRunning("sleep 60"))) {
      ProcessSampler.Window window = sampler.open();
      // Memory is read every few seconds only; the window's close reads it once more.
      Map<String, ProcessSampler.Usage> usage = window.close();

      ProcessSampler.Usage commandSide = usage.get("command-side");
      assertThat(commandSide.pid()).isEqualTo(part.pid());
      assertThat(commandSide.maxMemoryMb()).isPositive();
      assertThat(commandSide.avgMemoryMb()).isPositive();
      assertThat(commandSide.maxRssMb()).isPositive();
      // Too short for a CPU share to mean anything.
      assertThat(commandSide.cpuPercent()).isNull();
      // The benchmark's own JVM is always there; a part without a PID file is absent.
      assertThat(usage.get("bench").maxMemoryMb()).isPositive();
      assertThat(usage.get("postgres").pid()).isNull();
    }
  }

  @Test
  void cpuIsCountedAtEverySampleBetweenTheMemoryReads() throws Exception {
    try (ProcessSampler sampler = new ProcessSampler(commandSideRunning("while :; do :; done"))) {
      ProcessSampler.Window window = sampler.open();
      // Until the shell has spun for over a second of CPU since the window opened (so the window
      // is long enough for a share) and several samples without memory have gone by.
      long atOpen = cpuTicks(part.pid());
      await().atMost(Duration.ofSeconds(30)).until(() -> cpuTicks(part.pid()) >= atOpen + 120);
      ProcessSampler.Usage commandSide = window.close().get("command-side");

      // The shell spins on one core (of two or more): well above nothing, at most one core.
      assertThat(commandSide.cpuPercent()).isBetween(20.0, 110.0);
      assertThat(commandSide.maxMemoryMb()).isPositive();
    }
  }

  @Test
  void aPartsCpuIncludesItsChildProcesses() throws Exception {
    // As PostgreSQL's postmaster and its backends: the recorded process only waits, its child
    // spins.
    try (ProcessSampler sampler =
        new ProcessSampler(commandSideRunning("sh -c 'while :; do :; done' & wait"))) {
      ProcessSampler.Window window = sampler.open();
      await().atMost(Duration.ofSeconds(10)).until(() -> part.children().findAny().isPresent());
      long child = part.children().findFirst().orElseThrow().pid();
      assertThat(ProcessSampler.ProcessTable.scan().tree(part.pid())).contains(child);
      long atOpen = cpuTicks(child);
      await().atMost(Duration.ofSeconds(30)).until(() -> cpuTicks(child) >= atOpen + 120);
      ProcessSampler.Usage commandSide = window.close().get("command-side");

      assertThat(cpuTicks(part.pid())).isLessThan(10);
      assertThat(commandSide.cpuPercent()).isBetween(20.0, 110.0);
    }
  }

  /**
   * Starts a stand-in for the command side running {@code script} and records its PID in the
   * stack's home; the sampler trusts a recorded PID only when the process's command line names that
   * home.
   */
  private StackConfig commandSideRunning(String script) throws java.io.IOException {
    part = new ProcessBuilder("sh", "-c", script, home.toString()).start();
    Files.createDirectories(home.resolve("run"));
    Files.writeString(home.resolve("run/command-side.pid"), Long.toString(part.pid()));
    return StackConfig.resolve(Map.of("home", home.toString()), Map.of());
  }

  /** The process's user and system CPU time so far, in /proc's ticks (1/100 s). */
  private static long cpuTicks(long pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
