package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.ledgerline.infra.localstack.LocalStack;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * {@code ledgerline up} after a part was killed with SIGKILL, as an operator would run it: the part
 * left its PID file, its lock files and (Elasticsearch) a process tree behind. {@code up} must
 * clean that up, start the part again, wait until it is healthy, and show it running; not report
 * success while the new process died on a port the old one still held.
 */
@SystemTest
@Order(86)
class StackRecoveryIT {

  @Test
  void upAfterElasticsearchAndPostgresWereKilledStartsBothAgainAndWaitsForThem() throws Exception {
    LocalStack stack = LocalStackExtension.RunningStack.stack();
    long elasticsearchBefore = pidOf(stack, "elasticsearch");
    long postgresBefore = pidOf(stack, "postgres");

    stack.kill("elasticsearch");
    stack.kill("postgres");
    stack.up();

    for (var part :
        java.util.Map.of("elasticsearch", elasticsearchBefore, "postgres", postgresBefore)
            .entrySet()) {
      long now = pidOf(stack, part.getKey());
      assertThat(now).as(part.getKey() + " is running again: " + stack.status()).isPositive();
      assertThat(now).as(part.getKey() + " is a new process").isNotEqualTo(part.getValue());
      assertThat(ProcessHandle.of(part.getValue()).filter(ProcessHandle::isAlive))
          .as("the killed " + part.getKey() + " is gone")
          .isEmpty();
    }
    assertThat(get(config().elasticsearchUrl() + "/_cluster/health").status()).isEqualTo(200);

    // And the ledger works end to end on the new processes.
    String account = openAccount("EUR", "recovery");
    assertThat(command(account, "deposits", "{\"amount\":5}").status()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              var read = get(config().queryUrl() + "/api/v1/accounts/" + account);
              return read.status() == 200 && read.json().get("balance").asLong() == 5;
            });
  }

  /**
   * The reported failure: after SIGKILL, something still held Elasticsearch's port, the new node
   * died on it (BindException), and {@code up} reported success because the port answered. Here a
   * stand-in for that leftover holds the port and answers health checks as a node would: {@code up}
   * must not report success, must say which port is held, and must start the node once the port is
   * free.
   */
  @Test
  void upFailsLoudlyWhileALeftoverHoldsElasticsearchsPortAndRecoversOnceItIsFree()
      throws Exception {
    LocalStack stack = LocalStackExtension.RunningStack.stack();
    int port = config().elasticsearchPort();
    stack.kill("elasticsearch");
    HttpServer leftover = answeringLikeAHealthyNode(port);
    try {
      assertThatThrownBy(stack::up)
          .as("up while port %d is held by another process", port)
          .isInstanceOf(IOException.class)
          .hasMessageContaining(Integer.toString(port));
      assertThat(pidOf(stack, "elasticsearch")).as("elasticsearch shown running").isZero();
    } finally {
      leftover.stop(0);
    }

    stack.up();

    long node = pidOf(stack, "elasticsearch");
    assertThat(node).as("elasticsearch is running again: " + stack.status()).isPositive();
    var served =
        get(config().elasticsearchUrl() + "/_nodes/_local/process?filter_path=nodes.*.process.id");
    assertThat(served.status()).isEqualTo(200);
    assertThat(served.body()).as("answered by the node up started").contains("\"id\":" + node);
  }

  /** Holds {@code port} and answers every request with a green cluster health. */
  private static HttpServer answeringLikeAHealthyNode(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body =
              "{\"cluster_name\":\"leftover\",\"status\":\"green\"}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return server;
  }

  /** The PID {@code ledgerline status} shows for a running part, or 0 when it shows none. */
  private static long pidOf(LocalStack stack, String part) {
    for (String line : stack.status()) {
      String[] words = line.trim().split("\\s+");
      if (words.length > 3 && words[0].equals(part) && words[1].equals("running")) {
        return words[2].equals("pid") ? Long.parseLong(words[3]) : 0;
      }
    }
    return 0;
  }
}
