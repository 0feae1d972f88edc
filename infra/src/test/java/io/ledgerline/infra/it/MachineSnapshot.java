package io.ledgerline.infra.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the machine was doing, for a failure message: load average, CPU and I/O pressure, and the
 * processes using most CPU. A part that takes too long to come back on two shared cores is either
 * stuck or starved; this tells the two apart after the fact. The CPU column is ps's: each process's
 * average over its whole life, not over the last seconds.
 */
final class MachineSnapshot {

  private MachineSnapshot() {}

  static String describe() {
    StringBuilder text = new StringBuilder("\nmachine at the time:");
    for (String file :
        List.of(
            "/proc/loadavg", "/proc/pressure/cpu", "/proc/pressure/io", "/proc/pressure/memory")) {
      try {
        text.append("\n  ")
            .append(file)
            .append(": ")
            .append(Files.readString(Path.of(file)).strip().replace('\n', ' '));
      } catch (IOException | RuntimeException unreadable) {
        text.append("\n  ").append(file).append(": unreadable");
      }
    }
    try {
      Process ps =
          new ProcessBuilder(
                  "ps", "-eo", "pid,pcpu,rss,etimes,args", "--sort=-pcpu", "--no-headers")
              .redirectErrorStream(true)
              .start();
      byte[] out = ps.getInputStream().readAllBytes();
      if (!ps.waitFor(5, TimeUnit.SECONDS)) {
        ps.destroyForcibly();
      }
      new String(out, StandardCharsets.UTF_8)
          .lines()
          .limit(12)
          .forEach(line -> text.append("\n  ").append(line, 0, Math.min(line.length(), 220)));
    } catch (IOException e) {
      text.append("\n  ps failed: ").append(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return text.toString();
  }
}
