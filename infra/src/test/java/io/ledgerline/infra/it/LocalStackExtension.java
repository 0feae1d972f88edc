package io.ledgerline.infra.it;

import io.ledgerline.infra.localstack.LocalStack;
import io.ledgerline.infra.localstack.StackConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the real local stack (PostgreSQL, Kafka, Elasticsearch, both services) once per test run,
 * on its own ports and with fresh data, shares it with every integration test class and stops it
 * when the run ends.
 */
public final class LocalStackExtension implements BeforeAllCallback {

  private static final Object LOCK = new Object();

  @Override
  public void beforeAll(ExtensionContext context) {
    synchronized (LOCK) {
      context
          .getRoot()
          .getStore(ExtensionContext.Namespace.GLOBAL)
          .getOrComputeIfAbsent(
              RunningStack.class, key -> RunningStack.start(), RunningStack.class);
    }
  }

  /** The stack of this test run; closed by JUnit when the run ends. */
  static final class RunningStack implements ExtensionContext.Store.CloseableResource {

    private static volatile StackConfig config;
    private final LocalStack stack;

    private RunningStack(LocalStack stack) {
      this.stack = stack;
    }

    static RunningStack start() {
      Path repo = Path.of(System.getProperty("ledgerline.repo", "..")).toAbsolutePath().normalize();
      Map<String, String> flags = new HashMap<>();
      flags.put("repo", repo.toString());
      flags.put("home", repo.resolve(".ledgerline/it").toString());
      flags.put("downloads", repo.resolve(".ledgerline/downloads").toString());
      flags.put("pg-port", "25432");
      flags.put("kafka-port", "29092");
      flags.put("es-port", "29200");
      flags.put("command-port", "28080");
      flags.put("query-port", "28081");
      flags.put("gateway-port", "28090");
      flags.put("identity-port", "29000");
      StackConfig stackConfig = StackConfig.resolve(flags, Map.of());
      LocalStack stack = new LocalStack(stackConfig, System.out);
      try {
        stack.down(); // Leftovers of an interrupted run, stopped by their recorded PIDs.
        deleteRecursively(stackConfig.home().resolve("data"));
        stack.up();
      } catch (IOException e) {
        try {
          stack.down();
        } catch (IOException ignored) {
          // The start-up failure is the one to report.
        }
        throw new IllegalStateException("the local stack did not start", e);
      }
      RunningStack running = new RunningStack(stack);
      Runtime.getRuntime().addShutdownHook(new Thread(running::closeQuietly));
      config = stackConfig;
      current = running;
      return running;
    }

    /** Kills the command side without warning (SIGKILL) and starts it again. */
    static void crashAndRestartCommandSide() throws IOException {
      running().stack.crashCommandSide();
      running().stack.up();
    }

    private static volatile RunningStack current;

    private static RunningStack running() {
      if (current == null) {
        throw new IllegalStateException("the local stack is not running; use @SystemTest");
      }
      return current;
    }

    /** The stack itself, for tests that kill and restart its parts. */
    static LocalStack stack() {
      return running().stack;
    }

    static StackConfig config() {
      if (config == null) {
        throw new IllegalStateException("the local stack is not running; use @SystemTest");
      }
      return config;
    }

    @Override
    public void close() throws IOException {
      stack.down();
    }

    private void closeQuietly() {
      try {
        stack.down();
      } catch (IOException | RuntimeException ignored) {
        // Best effort while the JVM exits.
      }
    }

    private static void deleteRecursively(Path path) throws IOException {
      if (!Files.exists(path)) {
        return;
      }
      try (var walk = Files.walk(path)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
