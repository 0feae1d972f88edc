package io.ledgerline.infra.localstack;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * What the stack remembers about one part between commands: how often it was started again since
 * {@code up} first started it, and how its process last ended. Kept in {@code
 * <run>/<part>.restarts} as {@code key=value} lines, written by the launcher and, for the services,
 * by {@code infra/bin/supervise}; {@code down} deletes it.
 *
 * @param restarts how often the part was started again (by its supervisor after a crash, or by
 *     {@code up}/{@code restart} after it stopped)
 * @param lastExitCode the exit status of the service's last process, empty if unknown
 * @param lastExitAt when that process ended (ISO-8601, UTC), empty if unknown
 * @param state the supervisor's state: running, backoff, stopped or exited; empty for middleware
 */
record PartState(int restarts, String lastExitCode, String lastExitAt, String state) {

  static final PartState NONE = new PartState(0, "", "", "");

  static Path file(StackConfig config, String part) {
    return config.run().resolve(part + ".restarts");
  }

  /** The recorded state, or {@link #NONE} when there is none (or it cannot be read). */
  static PartState read(StackConfig config, String part) {
    Path file = file(config, part);
    if (!Files.exists(file)) {
      return NONE;
    }
    Properties values = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      values.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      return NONE;
    }
    int restarts;
    try {
      restarts = Integer.parseInt(values.getProperty("restarts", "0").trim());
    } catch (NumberFormatException e) {
      restarts = 0;
    }
    return new PartState(
        restarts,
        values.getProperty("last_exit_code", "").trim(),
        values.getProperty("last_exit_at", "").trim(),
        values.getProperty("state", "").trim());
  }

  /**
   * Records that the launcher starts {@code part}: the first start since {@code down} is not a
   * restart, every later one is.
   */
  static void countStart(StackConfig config, String part) throws IOException {
    PartState state =
        Files.exists(file(config, part))
            ? read(config, part).withRestarts(read(config, part).restarts() + 1)
            : NONE;
    state.write(config, part);
  }

  static void delete(StackConfig config, String part) throws IOException {
    Files.deleteIfExists(file(config, part));
  }

  PartState withRestarts(int count) {
    return new PartState(count, lastExitCode, lastExitAt, state);
  }

  /** Writes the file whole and renames it, so a reader (or the supervisor) never sees half. */
  void write(StackConfig config, String part) throws IOException {
    Files.createDirectories(config.run());
    Path file = file(config, part);
    Path partial = file.resolveSibling(file.getFileName() + ".tmp");
    // Plain lines, not Properties.store: the supervisor (bash) reads and writes the same format.
    Files.writeString(
        partial,
        "restarts="
            + restarts
            + "\nlast_exit_code="
            + lastExitCode
            + "\nlast_exit_at="
            + lastExitAt
            + "\nstate="
            + state
            + "\n");
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** For {@code status}: "2 (last exit 137 at 2025-01-01T10:00:00Z)" or just "0". */
  String describe() {
    if (lastExitCode.isEmpty()) {
      return Integer.toString(restarts);
    }
    return restarts + " (last exit " + lastExitCode + " at " + lastExitAt + ")";
  }
}
