package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.JSON;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerline.infra.localstack.LocalStack;
import io.ledgerline.infra.localstack.StackConfig;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every subcommand of {@code infra/bin/ledgerline}, run as an operator runs it: the real wrapper
 * script in a process of its own, from the repository root, pointed at this run's stack with the
 * stack's flags and holding no token. {@code up}, {@code down} and {@code images} themselves are
 * not run here: the stack is shared, and every system test run starts it with what {@code up} runs
 * (LocalStack.up) and stops it with what {@code down} runs; {@code images} builds for minutes.
 * Their {@code --help} is run, and must neither build nor stop anything.
 */
@SystemTest
@Order(75)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherCliIT {

  private static final List<String> SUBCOMMANDS =
      List.of("up", "down", "status", "restart", "token", "verify", "bench", "rebuild", "images");

  private static final Duration QUICK = Duration.ofSeconds(60);

  @Test
  @Order(1)
  void helpListsEverySubcommandAndEachExplainsItselfWithoutRunning() throws Exception {
    Run help = ledgerline(QUICK, "--help");
    assertThat(help.exitCode()).as(help.toString()).isZero();
    for (String command : SUBCOMMANDS) {
      assertThat(help.out()).as(help.toString()).containsPattern("(?m)^\\s+" + command + "\\b");
    }

    for (String command : SUBCOMMANDS) {
      Run run = ledgerline(QUICK, command, "--help");
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out()).as(run.toString()).startsWith("usage: infra/bin/ledgerline " + command);
      assertThat(run.out() + run.err())
          .as("%s --help builds nothing: %s", command, run)
          .doesNotContain("Building Ledgerline")
          .doesNotContain("Resolving the benchmark's classpath");
    }

    // 'down --help' explained down; it did not stop the shared stack.
    assertThat(LocalStackExtension.RunningStack.stack().isUp()).isTrue();
    assertThat(get(config().queryUrl() + "/actuator/health/readiness").status()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void statusShowsEveryPartRunningAndHealthyAndEachServicesLag() throws Exception {
    Run status = ledgerline(QUICK, "status");

    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertEveryPartRunningAndHealthy(status);
    assertThat(lagOf(status, "command-side"))
        .as(status.toString())
        .containsPattern("kafka-publisher \\d+ events")
        .endsWith("behind the event store");
    String projectionsLag = lagOf(status, "query-side");
    for (JsonNode projection : get(config().queryUrl() + "/api/v1/projections").json()) {
      assertThat(projectionsLag)
          .as(status.toString())
          .containsPattern(
              Pattern.quote(projection.get("projection").asText())
                  + " \\d+ events \\(\\d+\\.\\d s\\)");
    }
  }

  @Test
  @Order(3)
  void tokenPrintsAJwtOfTheRoleAndSubjectAskedForThatTheQueryApiAccepts() throws Exception {
    Run token = ledgerline(QUICK, "token", "--role", "operator", "--sub", "cli-test");

    assertThat(token.exitCode()).as(token.toString()).isZero();
    String jwt = token.out().trim();
    assertThat(jwt).as(token.toString()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    assertThat(claims.get("sub").asText()).isEqualTo("cli-test");
    assertThat(claims.get("roles").toString()).isEqualTo("[\"operator\"]");

    var projections =
        Ledgerline.send(
            HttpRequest.newBuilder(URI.create(config().queryUrl() + "/api/v1/projections"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + jwt)
                .GET()
                .build());
    assertThat(projections.status()).as(projections.body()).isEqualTo(200);
  }

  @Test
  @Order(4)
  void verifyFindsTheHistoryIntact() throws Exception {
    Run verify = ledgerline(Duration.ofMinutes(3), "verify");

    assertThat(verify.exitCode()).as(verify.toString()).isZero();
    assertThat(verify.out())
        .as(verify.toString())
        .contains("\"valid\":true")
        .containsPattern("(?m)^history intact: \\d+ events checked");
  }

  @Test
  @Order(5)
  void rebuildMintsItsOwnAdminTokenAndFollowsTheRebuildToItsSwitch() throws Exception {
    Run rebuild = ledgerline(Duration.ofMinutes(5), "rebuild", "transfers");

    assertThat(rebuild.exitCode()).as(rebuild.toString()).isZero();
    assertThat(rebuild.out())
        .as(rebuild.toString())
        .containsPattern("rebuild \\S+ of transfers started")
        .contains("\"done\":true")
        .contains("\"phase\":\"SWITCHED\"");
  }

  @Test
  @Order(6)
  void benchRunsItsShortestMeasurementAndWritesItsResults() throws Exception {
    Path out = config().repo().resolve("infra/target/launcher-cli/bench");
    Run bench =
        ledgerline(
            Duration.ofMinutes(3),
            "bench",
            "--phase=P1",
            "--clients=1",
            "--seconds=1",
            "--warmup=0",
            "--raw=false",
            "--restart=false",
            "--out=" + out);

    assertThat(bench.exitCode()).as(bench.toString()).isZero();
    assertThat(bench.out()).as(bench.toString()).contains("Ledgerline benchmark");
    JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
    assertThat(results.get("phases").toString()).as(bench.toString()).contains("\"P1\"");
  }

  @Test
  @Order(7)
  void restartStartsTheQuerySideAgainUnderOneSupervisorAndWaitsUntilItIsHealthy() throws Exception {
    LocalStack stack = LocalStackExtension.RunningStack.stack();
    List<ProcessHandle> before = querySideJvms();
    int restartsBefore = stack.restartCount("query-side");
    assertThat(before).as("query-side JVMs before the restart").hasSize(1);

    Run restart = ledgerline(Duration.ofMinutes(5), "restart", "query-side");

    assertThat(restart.exitCode()).as(restart.toString()).isZero();
    assertThat(restart.out()).as(restart.toString()).contains("query-side ready");
    assertThat(get(config().queryUrl() + "/actuator/health/readiness").status()).isEqualTo(200);
    List<ProcessHandle> after = querySideJvms();
    assertThat(after).as("query-side JVMs after the restart").hasSize(1);
    assertThat(after.get(0).pid()).as("a new process").isNotEqualTo(before.get(0).pid());
    assertThat(before.get(0).isAlive()).as("the old process is gone").isFalse();
    // Started from the class-data archive the stack's start trained: the JVM mapped it. The
    // command side has run since the stack's start, so its archive is the one `up` trained.
    assertMapsItsClassDataArchive("query-side", after.get(0));
    assertMapsItsClassDataArchive("command-side", jvmsOf("command-side").get(0));
    assertThat(querySideSupervisors()).as("query-side supervisors").hasSize(1);
    assertThat(stack.restartCount("query-side")).isEqualTo(restartsBefore + 1);

    Run status = ledgerline(QUICK, "status");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertEveryPartRunningAndHealthy(status);
  }

  private static void assertMapsItsClassDataArchive(String service, ProcessHandle jvm)
      throws IOException {
    assertThat(Files.readString(Path.of("/proc", Long.toString(jvm.pid()), "maps")))
        .as("memory map of %s (PID %d)", service, jvm.pid())
        .contains(config().home().resolve("cds").resolve(service).toString())
        .contains("app.jsa");
  }

  private static void assertEveryPartRunningAndHealthy(Run status) {
    for (String part : LocalStack.PARTS) {
      assertThat(status.out())
          .as(status.toString())
          .containsPattern(
              "(?m)^"
                  + Pattern.quote(part)
                  + " +running +pid \\d+ +\\S+ +healthy\\b.* restarts \\d+.* log: ");
    }
  }

  /** The lag line {@code status} prints under a service's line. */
  private static String lagOf(Run status, String service) {
    List<String> lines = status.out().lines().toList();
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (lines.get(i).startsWith(service + " ") && lines.get(i + 1).trim().startsWith("lag: ")) {
        return lines.get(i + 1).trim().substring("lag: ".length());
      }
    }
    throw new AssertionError("no lag under " + service + ": " + status);
  }

  /** This stack's query-side JVMs: the heap dump path names the service and the stack's home. */
  private static List<ProcessHandle> querySideJvms() {
    return jvmsOf("query-side");
  }

  /** This stack's JVMs of one service: the heap dump path names it and the stack's home. */
  private static List<ProcessHandle> jvmsOf(String service) {
    String heapDumps = "-XX:HeapDumpPath=" + config().home().resolve("logs").resolve(service + "-");
    return ProcessHandle.allProcesses()
        .filter(process -> commandLine(process).contains(heapDumps))
        // Its supervisor's command line holds the JVM's: never the supervisor or its subshells.
        .filter(process -> !commandLine(process).contains("infra/bin/supervise"))
        .toList();
  }

  /** This stack's query-side supervisors, not counting a subshell one of them forked a moment. */
  private static List<ProcessHandle> querySideSupervisors() {
    return ProcessHandle.allProcesses()
        .filter(LauncherCliIT::isSupervisor)
        .filter(process -> process.parent().filter(LauncherCliIT::isSupervisor).isEmpty())
        .toList();
  }

  private static boolean isSupervisor(ProcessHandle process) {
    String line = commandLine(process);
    return line.contains("infra/bin/supervise")
        && line.contains("--name query-side --run " + config().home().resolve("run"));
  }

  /** As the launcher reads it: /proc holds the whole command line, ProcessHandle.Info may not. */
  private static String commandLine(ProcessHandle process) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"))
          .replace('\0', ' ');
    } catch (IOException e) {
      return ""; // Gone meanwhile, or not ours to read.
    }
  }

  /** One run of the wrapper: what it was asked, how it exited and all it printed. */
  record Run(List<String> command, int exitCode, String out, String err) {
    @Override
    public String toString() {
      return String.format(
          "%n$ %s%nexit status %d%n--- stdout%n%s%n--- stderr%n%s",
          String.join(" ", command), exitCode, out, err);
    }
  }

  /**
   * Runs {@code infra/bin/ledgerline} with {@code arguments} and this run's stack flags, waits at
   * most {@code timeout} for it, and returns what it did.
   */
  private static Run ledgerline(Duration timeout, String... arguments)
      throws IOException, InterruptedException {
    StackConfig config = config();
    List<String> command = new ArrayList<>();
    command.add(config.repo().resolve("infra/bin/ledgerline").toString());
    command.addAll(List.of(arguments));
    command.addAll(stackFlags(config));
    Path logs = Files.createDirectories(config.repo().resolve("infra/target/launcher-cli"));
    String name = String.join("-", arguments).replaceAll("[^\\w-]", "_");
    Path out = logs.resolve(name + ".out");
    Path err = logs.resolve(name + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(config.repo().toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    Map<String, String> environment = builder.environment();
    // This run's launcher, built and on the test classpath: the wrapper must not run Maven inside
    // the Maven build that runs this test.
    environment.put("LEDGERLINE_LAUNCHER_CLASSPATH", testClasspath());
    environment.put(
        "PATH",
        Path.of(System.getProperty("java.home"), "bin")
            + File.pathSeparator
            + environment.getOrDefault("PATH", ""));
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      // Only the launcher: what it started (a service's supervisor) belongs to the stack now.
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(
          "ledgerline "
              + String.join(" ", arguments)
              + " did not end within "
              + timeout
              + new Run(command, -1, read(out), read(err)));
    }
    return new Run(command, process.exitValue(), read(out), read(err));
  }

  /**
   * Every setting of this run's stack as a flag: LocalStackExtension ignores LEDGERLINE_*
   * variables, and flags win over them. As --name=value, so that no value is taken for an argument.
   */
  private static List<String> stackFlags(StackConfig config) {
    return List.of(
        "--home=" + config.home(),
        "--downloads=" + config.downloads(),
        "--pg-port=" + config.postgresPort(),
        "--postgres-url=" + config.externalPostgresUrl().orElse(""),
        "--postgres-user=" + config.postgresUser(),
        "--postgres-password=" + config.postgresPassword(),
        "--app-password=" + config.appPassword(),
        "--audit-password=" + config.auditPassword(),
        "--kafka-port=" + config.kafkaPort(),
        "--es-port=" + config.elasticsearchPort(),
        "--command-port=" + config.commandPort(),
        "--query-port=" + config.queryPort(),
        "--es-heap=" + config.elasticsearchHeap(),
        "--kafka-heap=" + config.kafkaHeap(),
        "--service-heap=" + config.serviceHeap(),
        "--gateway-port=" + config.gatewayPort(),
        "--identity-port=" + config.identityPort(),
        "--identity-heap=" + config.identityHeap());
  }

  /** The classpath this test runs with: the launcher's classes and all their dependencies. */
  private static String testClasspath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
