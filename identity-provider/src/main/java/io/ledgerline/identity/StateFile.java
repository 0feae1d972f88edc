package io.ledgerline.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * One JSON file of the provider's state (signing keys, disabled users), readable by its owner only
 * and replaced whole on each write, so a crash leaves the old or the new content, never half. No
 * file at all when the provider keeps its state in memory.
 */
public final class StateFile {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  private StateFile(Path file) {
    this.file = file;
  }

  /** The file {@code name} in {@code folder}, or none when {@code folder} is null. */
  public static Optional<StateFile> in(Path folder, String name) {
    return Optional.ofNullable(folder).map(f -> new StateFile(f.resolve(name)));
  }

  public Optional<JsonNode> read() {
    try {
      return Files.exists(file) ? Optional.of(JSON.readTree(file.toFile())) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public void write(JsonNode content) {
    try {
      Files.createDirectories(file.getParent());
      Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(temporary);
      Files.createFile(
          temporary,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), content);
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static ObjectMapper json() {
    return JSON;
  }
}
