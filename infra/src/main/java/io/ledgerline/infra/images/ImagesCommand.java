package io.ledgerline.infra.images;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code infra/bin/ledgerline images}: builds the container images of both services with Jib as
 * tarballs, {@code command-side/target/jib-image.tar} and {@code query-side/target/jib-image.tar}.
 * Their base is the pinned eclipse-temurin image of the root {@code pom.xml} when its registry
 * answers ({@code --base=registry} insists on it), else a base made from the local JDK ({@code
 * --base=local} insists on that; {@code --jdk=DIR} picks the JDK, by default the one running this).
 */
public final class ImagesCommand {

  /** The modules that become images. */
  public static final List<String> MODULES = List.of("command-side", "query-side");

  // The registry of the default base image (eclipse-temurin on Docker Hub).
  private static final URI REGISTRY = URI.create("https://registry-1.docker.io/v2/");

  private ImagesCommand() {}

  /** Builds both images; false when the build failed. */
  public static boolean run(Path repo, Path home, Map<String, String> flags, PrintStream out)
      throws IOException, InterruptedException {
    String base = flags.getOrDefault("base", "auto");
    boolean local =
        switch (base) {
          case "local" -> true;
          case "registry" -> false;
          case "auto" -> {
            boolean reachable = answers(REGISTRY);
            if (!reachable) {
              out.println(
                  "No answer from the base image's registry ("
                      + REGISTRY.getHost()
                      + "): building on a base made from this machine's JDK instead.");
            }
            yield !reachable;
          }
          default ->
              throw new IllegalArgumentException(
                  "--base must be auto, registry or local, not " + base);
        };
    List<String> command =
        new ArrayList<>(
            List.of(
                repo.resolve("mvnw").toString(),
                "-B",
                "-q",
                "-pl",
                String.join(",", MODULES),
                "-am",
                "package",
                "jib:buildTar",
                "-DskipTests"));
    if (local) {
      Path jdk = Path.of(flags.getOrDefault("jdk", System.getProperty("java.home")));
      Path tarball = new LocalBaseImage(jdk, home.resolve("images"), out).build();
      command.add("-Dimage.base=tar://" + tarball.toAbsolutePath());
      String architecture = LocalBaseImage.architecture();
      if (!architecture.equals("amd64")) {
        command.add("-Djib.from.platforms=linux/" + architecture);
      }
    }
    out.println(
        "Building the images: ./mvnw " + String.join(" ", command.subList(1, command.size())));
    out.flush();
    Process build = new ProcessBuilder(command).directory(repo.toFile()).inheritIO().start();
    int exit = build.waitFor();
    if (exit != 0) {
      out.println("ledgerline: the image build failed (exit status " + exit + ")");
      return false;
    }
    out.println();
    for (String module : MODULES) {
      Path image = repo.resolve(module).resolve("target/jib-image.tar");
      if (!Files.isRegularFile(image)) {
        out.println("ledgerline: the build wrote no " + repo.relativize(image));
        return false;
      }
      out.printf("  %-13s %s (%,d bytes)%n", module, repo.relativize(image), Files.size(image));
    }
    out.println(
        local
            ? "\nOn a base made from this machine's JDK: for trying them here, not for shipping."
            : "\nOn eclipse-temurin:17-jre, pinned by digest in pom.xml.");
    out.println("Load them with: docker load --input <module>/target/jib-image.tar");
    return true;
  }

  /** Whether anything answers HTTP at {@code uri} (an error status is an answer). */
  static boolean answers(URI uri) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      client.send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
