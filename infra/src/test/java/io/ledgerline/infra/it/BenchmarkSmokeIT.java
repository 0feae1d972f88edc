package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.JSON;
import static io.ledgerline.infra.it.Ledgerline.config;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerline.infra.bench.Benchmark;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The benchmark ({@code infra/bin/ledgerline bench}) runs against the stack and produces its
 * figures: a few seconds a phase, so the figures' size says nothing; that they exist, and that an
 * answer other than 2xx is never counted as done, is what is checked.
 */
@SystemTest
@Order(80)
class BenchmarkSmokeIT {

  private static Path out(String name) {
    return config().repo().resolve("infra/target/bench-smoke").resolve(name);
  }

  @Test
  void measuresTheLoadPhasesAndTheRawLimitsInTheSameRun() throws Exception {
    Path results =
        Benchmark.run(
            config(),
            System.out,
            "--phase=P1,P2,P3,P4,P6",
            "--clients=2",
            "--seconds=2",
            "--warmup=1",
            "--restart=false",
            "--out=" + out("phases"));

    JsonNode json = JSON.readTree(results.toFile());
    assertThat(results).isEqualTo(out("phases").resolve("results.json"));
    assertThat(json.get("machine").get("cores").asInt()).isPositive();
    assertThat(raw(json, "raw-postgres-inserts").get("rate").asDouble()).isPositive();
    assertThat(raw(json, "raw-kafka-produce").get("rate").asDouble()).isPositive();
    assertThat(raw(json, "raw-elasticsearch-get").get("rate").asDouble()).isPositive();
    assertThat(raw(json, "raw-postgres-inserts").get("details").get("warmupSeconds").asLong())
        .isOne();
    // The raw inserts' scratch schema is gone once the run ends.
    try (Connection database = Ledgerline.database();
        Statement statement = database.createStatement();
        ResultSet left =
            statement.executeQuery(
                "select count(*) from pg_namespace where nspname like 'ledgerline_bench_%'")) {
      left.next();
      assertThat(left.getLong(1)).isZero();
    }

    JsonNode deposits = phase(json, "P1");
    assertThat(deposits.get("done").asLong()).isPositive();
    assertThat(deposits.get("rate").asDouble()).isPositive();
    assertThat(deposits.get("latencyMillis").get("p50").isNumber()).isTrue();
    assertThat(deposits.get("latencyMillis").get("p99").isNumber()).isTrue();
    assertThat(deposits.get("ratio").asDouble()).isPositive();
    assertThat(deposits.get("perSecond").size()).isPositive();
    assertThat(deposits.get("resources").get("command-side").get("cpuPercentOfOneCore").isNumber())
        .isTrue();
    assertThat(json.get("headline").get("depositsPerRawInsert").asDouble()).isPositive();

    JsonNode transfers = phase(json, "P2");
    assertThat(transfers.get("done").asLong()).isPositive();
    assertThat(transfers.get("ratio").asDouble()).as("P2 against raw inserts").isPositive();

    JsonNode freshness = phase(json, "P3");
    assertThat(freshness.get("details").get("freshnessSamples").asLong()).isPositive();
    assertThat(freshness.get("latencyMillis").get("p99").isNumber()).isTrue();

    for (String read : new String[] {"P4-id", "P4-search", "P4-totals"}) {
      assertThat(phase(json, read).get("done").asLong()).as(read).isPositive();
    }
    assertThat(phase(json, "P6").get("details").get("totalMemoryMb").asDouble()).isPositive();
  }

  @Test
  void anAnswerThatIsNot2xxIsNeverCountedAsDone() throws Exception {
    // The load's tokens are signed with a key the services do not trust: every answer is 401.
    Path results =
        Benchmark.run(
            config(),
            System.out,
            "--phase=P1",
            "--clients=2",
            "--seconds=2",
            "--warmup=0",
            "--raw=false",
            "--invalid-load-tokens=true",
            "--out=" + out("rejected"));

    JsonNode deposits = phase(JSON.readTree(results.toFile()), "P1");
    assertThat(deposits.get("done").asLong()).isZero();
    assertThat(deposits.get("rate").asDouble()).isZero();
    assertThat(deposits.get("latencyMillis").get("p50").isNull()).isTrue();
    assertThat(deposits.get("statuses").get("401").asLong()).isPositive();
    assertThat(deposits.get("notDone").get("401").asLong())
        .isEqualTo(deposits.get("statuses").get("401").asLong());
  }

  @Test
  void theWaitForTheJitReadsBothServicesCompilersAndSaysHowItEnded() throws Exception {
    Path results =
        Benchmark.run(
            config(),
            System.out,
            "--phase=P1",
            "--clients=2",
            "--seconds=2",
            "--warmup=0",
            "--raw=false",
            "--jit-settle=true",
            "--jit-settle-max=40",
            "--out=" + out("settled"));

    JsonNode deposits = phase(JSON.readTree(results.toFile()), "P1");
    assertThat(deposits.get("done").asLong()).isPositive();
    // Settled or not within the limit, both counters were read over the whole window.
    assertThat(deposits.get("notes").toString())
        .contains("warm-up:")
        .contains("command side compiling")
        .contains("query side compiling")
        .doesNotContain("not read yet");
  }

  private static JsonNode phase(JsonNode json, String id) {
    return find(json.get("phases"), id);
  }

  private static JsonNode raw(JsonNode json, String id) {
    return find(json.get("raw"), id);
  }

  private static JsonNode find(JsonNode list, String id) {
    for (JsonNode item : list) {
      if (item.get("id").asText().equals(id)) {
        return item;
      }
    }
    throw new AssertionError("no " + id + " in " + list);
  }
}
