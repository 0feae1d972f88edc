package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Both services serve their meters at {@code /actuator/prometheus} to a scrape without a token: the
 * ledger's own ({@code ledgerline_*}) beside Spring's, Axon's, Hikari's and Kafka's; and they move
 * when money does. The other actuator endpoints stay for admins.
 */
@SystemTest
class MetricsIT {

  private static final Duration SCRAPED = Duration.ofSeconds(90);

  @Test
  void prometheusScrapesWithoutATokenAndOnlyAdminsReadTheOtherEndpoints() {
    for (String service : List.of(config().commandUrl(), config().queryUrl())) {
      var scrape = anonymous(service + "/actuator/prometheus");
      assertThat(scrape.status()).as(service).isEqualTo(200);
      assertThat(scrape.contentType()).as(service).startsWith("text/plain");

      assertThat(anonymous(service + "/actuator/metrics").status()).as(service).isEqualTo(401);
      assertThat(as("operator", service + "/actuator/metrics").status()).as(service).isEqualTo(403);
      assertThat(as("admin", service + "/actuator/metrics").status()).as(service).isEqualTo(200);
    }
  }

  @Test
  void depositsMoveTheCommandMetersAndTheProjectionsPositions() {
    String account = openAccount("EUR", "metrics");
    Scrape commandBefore = scrape(config().commandUrl());
    Scrape queryBefore = scrape(config().queryUrl());

    for (int i = 0; i < 3; i++) {
      assertThat(command(account, "deposits", "{\"amount\":10}").status()).isEqualTo(200);
    }
    Map<String, String> key = Map.of("Idempotency-Key", "metrics-" + account);
    command(account, "deposits", "{\"amount\":5}", key);
    assertThat(command(account, "deposits", "{\"amount\":5}", key).status()).isEqualTo(200);
    var stale = command(account, "withdrawals", "{\"amount\":1}", Map.of("If-Match", "\"0\""));
    assertThat(stale.status()).isEqualTo(412);

    Scrape commandAfter = scrape(config().commandUrl());
    assertThat(commandAfter.sum(COMMANDS, "type", "DepositFunds", "outcome", "success"))
        .isGreaterThanOrEqualTo(
            commandBefore.sum(COMMANDS, "type", "DepositFunds", "outcome", "success") + 4);
    assertThat(commandAfter.sum(COMMANDS, "type", "WithdrawFunds", "outcome", "version_conflict"))
        .isGreaterThanOrEqualTo(
            commandBefore.sum(COMMANDS, "type", "WithdrawFunds", "outcome", "version_conflict")
                + 1);
    assertThat(commandAfter.sum(APPENDED, "type", "FundsDeposited"))
        .isGreaterThanOrEqualTo(commandBefore.sum(APPENDED, "type", "FundsDeposited") + 4);
    assertThat(commandAfter.sum("ledgerline_idempotency_replays_total"))
        .isGreaterThanOrEqualTo(commandBefore.sum("ledgerline_idempotency_replays_total") + 1);
    assertThat(commandAfter.sum(CONFLICTS, "status", "412", "kind", "version-conflict"))
        .isGreaterThanOrEqualTo(
            commandBefore.sum(CONFLICTS, "status", "412", "kind", "version-conflict") + 1);
    assertThat(commandAfter.sum("ledgerline_command_latency_seconds_count", "type", "DepositFunds"))
        .isGreaterThanOrEqualTo(
            commandBefore.sum("ledgerline_command_latency_seconds_count", "type", "DepositFunds")
                + 4);

    // Four deposits published to Kafka, projected, and read from the consumer group's offsets.
    double projected = queryBefore.sum(POSITION, "projection", "transactions");
    await()
        .atMost(SCRAPED)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(scrape(config().queryUrl()).sum(POSITION, "projection", "transactions"))
                    .isGreaterThanOrEqualTo(projected + 4));
  }

  @Test
  void theCommandSideServesItsOwnMetersAndAxonsAndSpringsOwn() {
    command(openAccount("EUR", "metrics-names"), "deposits", "{\"amount\":1}");
    await()
        .atMost(SCRAPED)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Scrape scrape = scrape(config().commandUrl());
              assertThat(scrape.names())
                  .contains(
                      COMMANDS,
                      "ledgerline_command_latency_seconds_bucket",
                      APPENDED,
                      "ledgerline_idempotency_replays_total",
                      "ledgerline_rate_limited_total",
                      "ledgerline_processor_lag_events",
                      "ledgerline_audit_checkpoint_age_seconds",
                      "ledgerline_audit_unsealed_events",
                      "http_server_requests_seconds_count",
                      "jvm_memory_used_bytes",
                      "hikaricp_connections_active");
              assertThat(
                      scrape.has("ledgerline_processor_lag_events", "processor", "kafka-publisher"))
                  .isTrue();
              assertThat(scrape.has("ledgerline_rate_limited_total", "limit", "address")).isTrue();
              assertThat(scrape.names()).anyMatch(name -> name.startsWith("kafka_producer_"));
              // Axon's own, from axon-micrometer: commandBus_*, eventProcessor_* and the like.
              assertThat(scrape.names()).anyMatch(name -> axon(name, "commandbus"));
              assertThat(scrape.samples())
                  .anyMatch(
                      sample ->
                          axon(sample.name(), "eventprocessor")
                              && sample.hasLabels("processorName", "kafka-publisher"));
              // Without Axon's capacity monitors, which keep an entry per message for a minute.
              assertThat(scrape.names())
                  .filteredOn(
                      name ->
                          axon(name, "commandbus")
                              || axon(name, "eventprocessor")
                              || axon(name, "eventstore"))
                  .isNotEmpty()
                  .noneMatch(name -> name.toLowerCase(Locale.ROOT).contains("capacity"));
            });
  }

  @Test
  void theQuerySideServesItsOwnMetersAndSpringsOwn() {
    // At least one batch to time, however fresh the stack.
    command(openAccount("EUR", "metrics-names"), "deposits", "{\"amount\":1}");
    await()
        .atMost(SCRAPED)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Scrape scrape = scrape(config().queryUrl());
              assertThat(scrape.names())
                  .contains(
                      POSITION,
                      "ledgerline_projection_lag_events",
                      "ledgerline_projection_lag_seconds",
                      "ledgerline_projection_batch_duration_seconds_bucket",
                      "ledgerline_projection_dead_letters_pending",
                      "ledgerline_projection_dead_letters_parked_total",
                      "ledgerline_reconciliation_differences",
                      "ledgerline_reconciliation_runs_total",
                      "ledgerline_rate_limited_total",
                      "http_server_requests_seconds_count",
                      "jvm_memory_used_bytes");
              for (String projection : List.of("accounts", "transfers", "transactions")) {
                assertThat(scrape.has(POSITION, "projection", projection, "partition", "0"))
                    .as(projection)
                    .isTrue();
              }
              assertThat(scrape.names()).anyMatch(name -> name.startsWith("kafka_consumer_"));
            });
  }

  private static final String COMMANDS = "ledgerline_commands_total";
  private static final String APPENDED = "ledgerline_events_appended_total";
  private static final String CONFLICTS = "ledgerline_command_conflicts_total";
  private static final String POSITION = "ledgerline_projection_position";

  /** One sample line of the text exposition format: {@code name{labels} value}. */
  record Sample(String name, String labels, double value) {

    static Sample parse(String line) {
      int space = line.lastIndexOf(' ');
      int brace = line.indexOf('{');
      boolean labelled = brace >= 0 && brace < space;
      String name = line.substring(0, labelled ? brace : space);
      String labels = labelled ? line.substring(brace + 1, line.lastIndexOf('}')) : "";
      String value = line.substring(space + 1);
      return new Sample(
          name,
          labels,
          value.endsWith("Inf") ? Double.parseDouble(value + "inity") : Double.parseDouble(value));
    }

    boolean hasLabels(String... pairs) {
      for (int i = 0; i < pairs.length; i += 2) {
        if (!(labels.startsWith(pairs[i] + "=\"" + pairs[i + 1] + "\"")
            || labels.contains("," + pairs[i] + "=\"" + pairs[i + 1] + "\""))) {
          return false;
        }
      }
      return true;
    }
  }

  /** One scrape of a service, as Prometheus reads it. */
  record Scrape(List<Sample> samples) {

    Set<String> names() {
      Set<String> names = new TreeSet<>();
      samples.forEach(sample -> names.add(sample.name()));
      return names;
    }

    boolean has(String name, String... labels) {
      return samples.stream().anyMatch(s -> s.name().equals(name) && s.hasLabels(labels));
    }

    /** The sum over the matching samples (NaN ones aside); 0 when there are none yet. */
    double sum(String name, String... labels) {
      return samples.stream()
          .filter(s -> s.name().equals(name) && s.hasLabels(labels) && !Double.isNaN(s.value()))
          .mapToDouble(Sample::value)
          .sum();
    }
  }

  private static boolean axon(String name, String component) {
    return name.replace("_", "").toLowerCase(Locale.ROOT).startsWith(component);
  }

  private static Scrape scrape(String service) {
    var response = anonymous(service + "/actuator/prometheus");
    assertThat(response.status()).as(service + " scrape").isEqualTo(200);
    List<Sample> samples = new ArrayList<>();
    for (String line : response.body().split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        samples.add(Sample.parse(line.strip()));
      }
    }
    return new Scrape(samples);
  }

  private static Ledgerline.Response anonymous(String url) {
    return Ledgerline.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("X-Test-Anonymous", "true")
            .GET()
            .build());
  }

  private static Ledgerline.Response as(String role, String url) {
    return Ledgerline.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + Ledgerline.token(role, "system-test-" + role))
            .GET()
            .build());
  }
}
