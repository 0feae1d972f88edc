package io.ledgerline.infra.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A service's class-data archive (AppCDS): its executable jar extracted to plain jars, and the
 * classes a start loads, parsed and verified once by a training run and mapped by every later
 * start.
 *
 * <p>Why: on two cores shared with the whole stack, a service's start is CPU-bound, and half of it
 * is loading and verifying classes from nested jars. Measured on a quiet machine, the command side
 * went from 11.6 s and 19.3 s of CPU to ready to 6.8 s and 11.5 s of CPU; under the fault suite's
 * load, where every restart competes with three other JVMs, the saving is larger in wall-clock
 * time. This is Spring's documented recipe (extract with {@code -Djarmode=tools}, train with {@code
 * -XX:ArchiveClassesAtExit} and {@code -Dspring.context.exit=onRefresh}); the JDK's own base
 * archive must exist, as it does in Debian's OpenJDK packages.
 *
 * <p>One version per jar content and JVM: under {@code <home>/cds/<module>/<stamp>/}, where the
 * stamp hashes the executable jar and the JVM's library. A rebuilt jar with other content gets a
 * new folder and a new training run; a JVM that cannot map an archive (another JDK build) warns
 * once in the service's log and starts without it. A failed training never fails a start: the
 * service then runs from its extracted jar without an archive, and the next start trains again.
 */
public final class ClassDataArchive {

  private static final String ARCHIVE = "app.jsa";

  /** A training run is a start of the service that exits once its context is refreshed. */
  private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(4);

  /** Written once the jar is extracted completely. */
  private static final String EXTRACTED = "extracted";

  /** Written when the training failed: why, so that later starts say so instead of retrying. */
  private static final String FAILED = "training-failed";

  /**
   * Training runs still going: a launcher that exits (its start failed elsewhere, or it was
   * stopped) ends them rather than leaving them behind.
   */
  private static final java.util.Set<Process> RUNNING =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "cds-training"));
  }

  /** Folders kept per module: the current version and the one a running process may still use. */
  private static final int VERSIONS_KEPT = 2;

  private final Path folder;
  private final Path executableJar;

  private ClassDataArchive(Path folder, Path executableJar) {
    this.folder = folder;
    this.executableJar = executableJar;
  }

  /** The archive folder for this content of {@code executableJar}, prepared or not. */
  static ClassDataArchive of(Path home, String module, Path executableJar) throws IOException {
    return new ClassDataArchive(
        home.resolve("cds").resolve(module).resolve(stamp(executableJar)), executableJar);
  }

  /**
   * The JVM arguments that run the service from its extracted jar with the archive ({@code
   * -XX:SharedArchiveFile=... -jar <extracted jar>}), when a training run left one; empty when
   * there is none yet. For processes started beside the stack (the fault suite's second instances),
   * which reuse what the stack's start prepared and never train.
   */
  public static Optional<List<String>> trained(Path home, String module, Path executableJar)
      throws IOException {
    ClassDataArchive archive = of(home, module, executableJar);
    return archive.isTrained() ? Optional.of(archive.launchArguments()) : Optional.empty();
  }

  /** {@code <home>/cds/<module>/<stamp>}: the extracted jar, its libraries and the archive. */
  Path folder() {
    return folder;
  }

  boolean isTrained() {
    return Files.isRegularFile(folder.resolve(ARCHIVE))
        && Files.isRegularFile(folder.resolve(EXTRACTED));
  }

  /** {@code -XX:SharedArchiveFile=... -jar <extracted jar>}, or {@code -jar <jar>} untrained. */
  List<String> launchArguments() {
    if (!isTrained()) {
      return List.of("-jar", executableJar.toString());
    }
    return List.of(
        "-XX:SharedArchiveFile=" + folder.resolve(ARCHIVE), "-jar", extractedJar().toString());
  }

  /**
   * Extracts the jar and runs the training unless this version is trained already. The training run
   * is the service's own start with {@code jvmOptions} and {@code environment} (so it loads what a
   * real start loads, and needs what a real start needs: PostgreSQL and Kafka up), ending once its
   * context is refreshed, before it serves or consumes anything. Its output goes to {@code
   * logFile}.
   *
   * <p>Never fails: whatever goes wrong is reported on {@code log} and the service starts without
   * an archive. A training that failed is not repeated for the same build and JVM.
   *
   * @return whether the archive is ready
   */
  boolean train(
      String name,
      List<String> jvmOptions,
      Map<String, String> environment,
      Path logFile,
      Log log) {
    if (isTrained()) {
      return true;
    }
    Path failed = folder.resolve(FAILED);
    if (Files.isRegularFile(failed)) {
      // Tried once for this build and JVM: every start would pay for the same failure again.
      log.step(
          name
              + ": no class-data archive ("
              + readQuietly(failed)
              + "; delete "
              + folder
              + " to train again)");
      return false;
    }
    try {
      Optional<String> failure = trainOnce(name, jvmOptions, environment, logFile, log);
      if (failure.isEmpty()) {
        return true;
      }
      Files.writeString(failed, failure.get());
      log.step(name + ": no class-data archive (" + failure.get() + "); it starts without one");
    } catch (IOException | RuntimeException e) {
      log.step(name + ": no class-data archive (" + e + "); it starts without one");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.step(name + ": no class-data archive (its training was interrupted)");
    }
    return false;
  }

  /** Extracts and trains; the reason it did not work, or empty when the archive is in place. */
  private Optional<String> trainOnce(
      String name, List<String> jvmOptions, Map<String, String> environment, Path logFile, Log log)
      throws IOException, InterruptedException {
    removeOlderVersions();
    Files.createDirectories(folder);
    Path extracted = folder.resolve(EXTRACTED);
    if (!Files.isRegularFile(extracted)) {
      Processes.run(
          List.of(
              KafkaNode.java(),
              "-Djarmode=tools",
              "-jar",
              executableJar.toString(),
              "extract",
              "--force",
              "--destination",
              folder.toString()),
          folder,
          Map.of());
      // Marked only when complete: an interrupted extraction is done again.
      Files.writeString(extracted, executableJar.toString());
    }
    log.step("Training " + name + "'s class-data archive (once per build)");
    Path partial = folder.resolve(ARCHIVE + ".part");
    Files.deleteIfExists(partial);
    List<String> command = new ArrayList<>();
    command.add(KafkaNode.java());
    command.addAll(jvmOptions);
    command.add("-XX:ArchiveClassesAtExit=" + partial);
    command.add("-Dspring.context.exit=onRefresh");
    command.add("-jar");
    command.add(extractedJar().toString());
    ProcessBuilder builder = Processes.withOutputTo(logFile, folder, environment, command);
    // No port is bound before the context's lifecycle starts; 0 makes sure none collides.
    builder.environment().put("SERVER_PORT", "0");
    Process training = builder.start();
    RUNNING.add(training);
    try {
      if (!training.waitFor(TRAINING_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        training.destroyForcibly().waitFor();
        return Optional.of(
            "its training timed out after "
                + TRAINING_TIMEOUT.toMinutes()
                + " min; see "
                + logFile);
      }
    } finally {
      training.destroyForcibly();
      RUNNING.remove(training);
    }
    if (training.exitValue() != 0 || !Files.isRegularFile(partial)) {
      Files.deleteIfExists(partial);
      return Optional.of(
          "its training exited with status "
              + training.exitValue()
              + " and no archive; see "
              + logFile);
    }
    // Renamed only when complete: a start never maps half an archive.
    Files.move(
        partial,
        folder.resolve(ARCHIVE),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    return Optional.empty();
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      return "its training failed before";
    }
  }

  private Path extractedJar() {
    return folder.resolve(executableJar.getFileName().toString());
  }

  /** Keeps the newest versions of this module: a supervised process may still run from one. */
  private void removeOlderVersions() throws IOException {
    Path module = folder.getParent();
    if (!Files.isDirectory(module)) {
      return;
    }
    List<Path> versions;
    try (var entries = Files.list(module)) {
      versions =
          entries
              .filter(Files::isDirectory)
              .filter(version -> !version.equals(folder))
              .sorted(Comparator.comparing(ClassDataArchive::modified).reversed())
              .toList();
    }
    for (Path old :
        versions.subList(Math.min(VERSIONS_KEPT - 1, versions.size()), versions.size())) {
      deleteTree(old);
    }
  }

  private static long modified(Path path) {
    try {
      return Files.getLastModifiedTime(path).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** The jar's content and the JVM's library: an archive is valid only for both. */
  private static String stamp(Path executableJar) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(executableJar)) {
      for (int read; (read = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, read);
      }
    }
    Path jvm = Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");
    String vm =
        System.getProperty("java.vm.version")
            + (Files.isRegularFile(jvm)
                ? "/" + Files.size(jvm) + "/" + Files.getLastModifiedTime(jvm).toMillis()
                : "");
    digest.update(vm.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest.digest(), 0, 8);
  }
}
