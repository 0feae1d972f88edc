package io.ledgerline.infra.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The machine a run measured: absolute rates only mean something next to this. */
final class Machine {

  private Machine() {}

  static Map<String, Object> describe() {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("cpuModel", firstValue(Path.of("/proc/cpuinfo"), "model name"));
    Long memory = kilobytes("MemTotal:");
    machine.put("memoryGb", memory == null ? null : memory / 1048576.0);
    Long available = kilobytes("MemAvailable:");
    machine.put("memoryAvailableGbAtStart", available == null ? null : available / 1048576.0);
    machine.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    machine.put(
        "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    machine.put("loadAverageAtStart", read(Path.of("/proc/loadavg")));
    return machine;
  }

  /** One line: "2 cores (Intel Xeon ...), 23.5 GiB memory, Linux 6.1 amd64, Java 17.0.15". */
  static String line(Map<String, Object> machine) {
    return String.format(
        "%s cores (%s), %s memory, %s, %s, load average at start %s",
        machine.get("cores"),
        machine.get("cpuModel") == null ? "CPU model unknown" : machine.get("cpuModel"),
        machine.get("memoryGb") == null
            ? "unknown"
            : String.format("%.1f GiB", (Double) machine.get("memoryGb")),
        machine.get("os"),
        machine.get("java"),
        machine.get("loadAverageAtStart"));
  }

  private static Long kilobytes(String key) {
    String value = firstValue(Path.of("/proc/meminfo"), key.substring(0, key.length() - 1));
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value.split("\\s+")[0]);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String firstValue(Path file, String key) {
    try {
      List<String> lines = Files.readAllLines(file);
      for (String line : lines) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
          return line.substring(colon + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or not readable: unknown.
    }
    return null;
  }

  private static String read(Path file) {
    try {
      String text = Files.readString(file).trim();
      String[] fields = text.split("\\s+");
      return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : text;
    } catch (IOException e) {
      return null;
    }
  }
}
