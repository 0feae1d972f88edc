package io.ledgerline.infra.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator as the launcher runs it: a JVM of its own, recorded by PID, stopped by it. */
class GatewaySimulatorNodeTest {

  @TempDir Path home;

  @Test
  void runsTheSimulatorAsItsOwnProcessWithTheStacksKeyAndStopsIt() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    StackConfig config =
        StackConfig.resolve(
            Map.of(
                "home", home.toString(),
                "repo", home.toString(),
                "gateway-port", Integer.toString(port),
                "gateway-api-key", "sk_test_node",
                "gateway-webhook-secret", "whsec_node"),
            Map.of());
    Files.createDirectories(config.run());
    GatewaySimulatorNode testSubject =
        new GatewaySimulatorNode(
            config,
            new Processes(config),
            new Log(new PrintStream(OutputStream.nullOutputStream())));
    try {
      testSubject.start();
      testSubject.awaitReady(Duration.ofSeconds(60));

      assertThat(testSubject.health()).isEqualTo("healthy");
      assertThat(status("sk_test_node", config)).isEqualTo(200);
      assertThat(status("sk_test_other", config)).isEqualTo(401);
      long pid = testSubject.process().orElseThrow().pid();
      String commandLine = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
      assertThat(commandLine)
          .as("ours, and no secret where ps shows it")
          .contains(home.toString())
          .contains(config.commandUrl() + "/api/v1/gateway/webhooks")
          .doesNotContain("sk_test_node")
          .doesNotContain("whsec_node");
      assertThat(Files.readString(testSubject.logFile())).contains("listening on");

      testSubject.stop();

      assertThat(testSubject.isRunning()).isFalse();
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(testSubject.health()).isEqualTo("no answer");
    } finally {
      testSubject.stop();
    }
  }

  private static int status(String key, StackConfig config) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(config.gatewayApiBase() + "/v1/payment_intents"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("amount=100&currency=eur"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
