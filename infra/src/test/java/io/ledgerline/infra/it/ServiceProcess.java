package io.ledgerline.infra.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An extra instance of a service, started by a test with its own settings and stopped by it. */
final class ServiceProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private ServiceProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static ServiceProcess start(String module, int port, Map<String, String> environment)
      throws IOException {
    Path repo = Ledgerline.config().repo();
    Path jar;
    try (var files = Files.list(repo.resolve(module).resolve("target"))) {
      jar =
          files
              .filter(f -> f.getFileName().toString().endsWith("-exec.jar"))
              .findFirst()
              .orElseThrow(() -> new IOException("no executable jar of " + module));
    }
    Path log = Ledgerline.config().home().resolve("logs").resolve(module + "-" + port + ".log");
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:+HeapDumpOnOutOfMemoryError",
            "-XX:HeapDumpPath=" + log.getParent()));
    // The archive the stack's start trained for this jar, as the stack's own instances use it.
    command.addAll(
        io.ledgerline.infra.localstack.ClassDataArchive.trained(
                Ledgerline.config().home(), module, jar)
            .orElse(List.of("-jar", jar.toString())));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    builder
        .environment()
        .put(
            "LEDGERLINE_SECURITY_JWT_PUBLIC_KEY_LOCATION",
            "file:"
                + new io.ledgerline.infra.localstack.DevTokens(Ledgerline.config()).publicKey());
    builder.environment().put("SERVER_PORT", Integer.toString(port));
    return new ServiceProcess(builder.start(), port, log);
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** Kills the instance without warning (SIGKILL), as a crash would. */
  void kill() {
    process.destroyForcibly();
    process.onExit().join();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
