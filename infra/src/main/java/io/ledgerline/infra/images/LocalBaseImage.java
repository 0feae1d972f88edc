package io.ledgerline.infra.images;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A base image for the services made on this machine, for building their images where no container
 * registry can be reached: the Java runtime of a local JDK (linked with {@code jlink} from its
 * {@code jmods}, or copied where it has none) at {@code /opt/java/openjdk} as in eclipse-temurin,
 * the shared libraries it links against here, {@code curl} for health checks (as eclipse-temurin
 * has it) and a world-writable {@code /tmp}. It is for trying the images; real builds use the
 * pinned eclipse-temurin base of the root {@code pom.xml}.
 */
final class LocalBaseImage {

  /** Where the runtime lives in the image, as in eclipse-temurin. */
  static final String JAVA_HOME = "/opt/java/openjdk";

  /** The name the image is saved under. */
  static final String REPO_TAG = "ledgerline/base-local:17";

  // Java SE and the jdk.* modules of a Temurin JRE that a server may use.
  private static final List<String> MODULES =
      List.of(
          "java.se",
          "jdk.charsets",
          "jdk.crypto.cryptoki",
          "jdk.crypto.ec",
          "jdk.httpserver",
          "jdk.jfr",
          "jdk.localedata",
          "jdk.management",
          "jdk.management.agent",
          "jdk.management.jfr",
          "jdk.naming.dns",
          "jdk.net",
          "jdk.security.auth",
          "jdk.security.jgss",
          "jdk.unsupported",
          "jdk.zipfs");

  // The desktop toolkit's native libraries, which a server never loads: X11, sound and font
  // libraries stay out of the image.
  private static final Set<String> DESKTOP_LIBRARIES =
      Set.of(
          "libawt_xawt.so",
          "libsplashscreen.so",
          "libjawt.so",
          "libjsound.so",
          "libfontmanager.so",
          "libatk-wrapper.so");

  // Folders of a JDK that a runtime does not need, when it is copied rather than linked.
  private static final Set<String> NOT_RUNTIME =
      Set.of("jmods", "include", "man", "demo", "docs", "src.zip", "ct.sym");

  private static final Path CURL = Path.of("/usr/bin/curl");

  // glibc's C.UTF-8 locale is a file, not built in: without it the JVM falls back to ASCII.
  private static final Path UTF8_LOCALE = Path.of("/usr/lib/locale/C.utf8");

  // Raised whenever what goes into the image changes, so an older tarball is not reused.
  private static final int LAYOUT = 2;

  private static final Pattern LIBRARY = Pattern.compile("^\\s*(?:\\S+\\s+=>\\s+)?(/\\S+)\\s+\\(");
  private static final Pattern MISSING = Pattern.compile("^\\s*(\\S+)\\s+=>\\s+not found");

  private final Path jdk;
  private final Path work;
  private final PrintStream out;

  /**
   * @param jdk the JDK whose runtime goes into the image
   * @param work where the tarball is kept (it is reused while the JDK stays the same)
   * @param out where progress is told
   */
  LocalBaseImage(Path jdk, Path work, PrintStream out) {
    this.jdk = jdk;
    this.work = work;
    this.out = out;
  }

  /** The base image's tarball, built unless one from the same JDK exists. */
  Path build() throws IOException, InterruptedException {
    Map<String, String> release = release(jdk);
    String javaVersion = release.getOrDefault("JAVA_VERSION", "");
    if (!javaVersion.equals("17") && !javaVersion.startsWith("17.")) {
      out.println(
          "Note: "
              + jdk
              + " is Java "
              + javaVersion
              + "; the services are built for 17 and eclipse-temurin:17-jre is their real base.");
    }
    String key = key(jdk.toRealPath() + "\n" + release + "\n" + LAYOUT);
    Path tarball = work.resolve("base-local-" + key + ".tar");
    if (Files.isRegularFile(tarball)) {
      out.println("Reusing the local base image " + tarball);
      return tarball;
    }
    Files.createDirectories(work);
    Path runtime = work.resolve("runtime-" + key);
    deleteTree(runtime);
    try {
      Layer layer = new Layer();
      if (Files.isDirectory(jdk.resolve("jmods"))) {
        out.println("Linking a Java runtime from " + jdk + " (jlink) ...");
        link(runtime);
        layer.tree(JAVA_HOME, runtime);
      } else {
        out.println("Copying the Java runtime of " + jdk + " (it has no jmods to link from) ...");
        copyRuntime(layer);
        runtime = jdk;
      }
      Path cacerts = jdk.resolve("lib/security/cacerts");
      if (!layer.contains(JAVA_HOME + "/lib/security/cacerts") && Files.isRegularFile(cacerts)) {
        // Debian's JDK keeps the CA certificates outside its modules.
        layer.file(JAVA_HOME + "/lib/security/cacerts", 0644, cacerts);
      }
      List<Path> binaries = new ArrayList<>(nativeFiles(runtime));
      boolean curl = Files.isExecutable(CURL);
      if (curl) {
        binaries.add(CURL);
        layer.file(CURL.toString(), 0755, CURL);
      }
      Map<String, Path> libraries = sharedLibraries(binaries, runtime);
      libraries.forEach((path, file) -> layer.file(path, 0755, file));
      out.println(
          "Adding "
              + libraries.size()
              + " shared libraries of this machine"
              + (curl ? " and curl" : " (no curl here: health checks that use it will fail)"));
      if (Files.isDirectory(UTF8_LOCALE)) {
        layer.tree(UTF8_LOCALE.toString(), UTF8_LOCALE);
      } else {
        out.println("Note: no " + UTF8_LOCALE + " here: the JVM's default charset will be ASCII.");
      }
      layer.directory("/tmp", 01777);
      layer.file("/etc/passwd", 0644, "root:x:0:0:root:/root:/usr/sbin/nologin\n");
      layer.file("/etc/group", 0644, "root:x:0:\n");
      layer.file("/etc/nsswitch.conf", 0644, "hosts: files dns\n");
      String description =
          release.getOrDefault("IMPLEMENTOR", "?")
              + " "
              + release.getOrDefault("JAVA_RUNTIME_VERSION", javaVersion);
      new ImageTarball(
              REPO_TAG,
              architecture(),
              List.of(
                  "PATH=" + JAVA_HOME + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin",
                  "JAVA_HOME=" + JAVA_HOME,
                  "LANG=C.UTF-8"),
              Map.of(
                  "org.opencontainers.image.title",
                  "Ledgerline local base",
                  "org.opencontainers.image.description",
                  "The Java runtime of "
                      + description
                      + " on one machine's shared libraries: for trying images where no registry"
                      + " is reachable, not for shipping"),
              "ledgerline images: the runtime of " + jdk + " (" + description + ")")
          .write(layer, tarball);
      out.println("Wrote the local base image " + tarball + " (" + Files.size(tarball) + " bytes)");
      return tarball;
    } finally {
      if (!runtime.equals(jdk)) {
        deleteTree(runtime);
      }
    }
  }

  private void link(Path runtime) throws IOException, InterruptedException {
    List<String> modules = new ArrayList<>();
    for (String module : MODULES) {
      if (Files.isRegularFile(jdk.resolve("jmods").resolve(module + ".jmod"))) {
        modules.add(module);
      }
    }
    // The JDK's own jlink: a jlink of another version refuses its jmods.
    run(
        List.of(
            jdk.resolve("bin/jlink").toString(),
            "--module-path",
            jdk.resolve("jmods").toString(),
            "--add-modules",
            String.join(",", modules),
            "--strip-debug",
            "--no-man-pages",
            "--no-header-files",
            "--output",
            runtime.toString()),
        true);
  }

  private void copyRuntime(Layer layer) throws IOException {
    try (Stream<Path> entries = Files.list(jdk)) {
      for (Path entry : entries.sorted().toList()) {
        String name = entry.getFileName().toString();
        if (NOT_RUNTIME.contains(name)) {
          continue;
        }
        if (Files.isDirectory(entry)) {
          layer.tree(JAVA_HOME + "/" + name, entry);
        } else if (Files.isRegularFile(entry)) {
          layer.file(JAVA_HOME + "/" + name, Files.isExecutable(entry) ? 0755 : 0644, entry);
        }
      }
    }
    Path lib = jdk.resolve("lib");
    for (String name : NOT_RUNTIME) {
      if (Files.exists(lib.resolve(name))) {
        layer.remove(JAVA_HOME + "/lib/" + name);
      }
    }
  }

  /** The runtime's executables and shared objects, the desktop toolkit's aside. */
  private static List<Path> nativeFiles(Path runtime) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String folder : List.of("bin", "lib")) {
      Path root = runtime.resolve(folder);
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(Files::isRegularFile)
            .filter(
                f -> {
                  String name = f.getFileName().toString();
                  if (DESKTOP_LIBRARIES.contains(name)) {
                    return false;
                  }
                  return name.endsWith(".so")
                      || name.equals("jspawnhelper")
                      || (folder.equals("bin") && Files.isExecutable(f));
                })
            .sorted()
            .forEach(files::add);
      }
    }
    return files;
  }

  /**
   * The shared libraries (and the dynamic loader) that {@code binaries} link against on this
   * machine, by their path here and so in the image; the runtime's own libraries aside. Each is
   * added as a file, with the bytes its path resolves to.
   */
  private Map<String, Path> sharedLibraries(List<Path> binaries, Path runtime)
      throws IOException, InterruptedException {
    Path runtimeRoot = runtime.toRealPath();
    // The JVM loads its own libraries (libjvm.so) before those that name them without a path.
    Set<String> ownLibraries = new TreeSet<>();
    for (Path file : nativeFiles(runtime)) {
      ownLibraries.add(file.getFileName().toString());
    }
    Map<String, Path> libraries = new TreeMap<>();
    Set<String> missing = new TreeSet<>();
    for (Path binary : binaries) {
      String output;
      try {
        // ldd fails on a file that is not dynamically linked: such a file needs no library.
        output = run(List.of("ldd", binary.toString()), false);
      } catch (IOException e) {
        throw new IOException(
            "cannot list the shared libraries of " + binary + " (is ldd installed?)", e);
      }
      for (String line : output.split("\n")) {
        Matcher absent = MISSING.matcher(line);
        if (absent.find()) {
          if (ownLibraries.contains(absent.group(1))) {
            continue;
          }
          missing.add(absent.group(1) + " (needed by " + binary.getFileName() + ")");
          continue;
        }
        Matcher library = LIBRARY.matcher(line);
        if (!library.find()) {
          continue;
        }
        Path path = Path.of(library.group(1)).normalize();
        if (path.startsWith(runtimeRoot) || path.startsWith(runtime)) {
          continue;
        }
        libraries.put(path.toString(), path);
      }
    }
    if (!missing.isEmpty()) {
      throw new IOException("shared libraries missing on this machine: " + missing);
    }
    // glibc loads libgcc_s itself (thread cancellation, unwinding): keep it beside libc.
    libraries.keySet().stream()
        .filter(p -> p.endsWith("/libc.so.6"))
        .findFirst()
        .map(p -> Path.of(p).resolveSibling("libgcc_s.so.1"))
        .filter(Files::isRegularFile)
        .ifPresent(p -> libraries.putIfAbsent(p.toString(), p));
    return libraries;
  }

  /**
   * Runs a command and returns its output; with {@code check}, an exit status other than 0 fails.
   */
  private static String run(List<String> command, boolean check)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish");
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (check && process.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + text);
    }
    return text;
  }

  /** The {@code release} file of a JDK: JAVA_VERSION, IMPLEMENTOR, ... */
  static Map<String, String> release(Path jdk) throws IOException {
    Path file = jdk.resolve("release");
    if (!Files.isRegularFile(file)) {
      throw new IOException(jdk + " is not a JDK (it has no release file)");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        values.put(
            line.substring(0, equals).trim(), line.substring(equals + 1).trim().replace("\"", ""));
      }
    }
    return values;
  }

  /** The CPU architecture as image platforms name it. */
  static String architecture() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
  }

  private static String key(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
