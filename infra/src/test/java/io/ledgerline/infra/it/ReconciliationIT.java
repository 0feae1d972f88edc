package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static io.ledgerline.infra.it.Ledgerline.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other system test: once the projections have caught up, every read model equals
 * an independent fold of the event store that all those scenarios wrote.
 */
@SystemTest
@Order(Integer.MAX_VALUE - 2)
class ReconciliationIT {

  @Test
  void theReadModelsMatchTheEventStoreAfterEveryScenario() {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              for (JsonNode projection : get(config().queryUrl() + "/api/v1/projections").json()) {
                assertThat(projection.get("lagEvents").asLong())
                    .as(projection.get("projection").asText())
                    .isZero();
              }
              var report =
                  post(config().queryUrl() + "/api/v1/admin/reconciliation", null, Map.of());
              assertThat(report.status()).isEqualTo(200);
              assertThat(report.json().get("differences")).as(report.body()).isEmpty();
              assertThat(report.json().get("clean").asBoolean()).isTrue();
              assertThat(report.json().get("accountsChecked").asLong()).isPositive();
              assertThat(report.json().get("transfersChecked").asLong()).isPositive();
            });
  }

  @Test
  void projectionStatusReportsPositionsAndLag() {
    JsonNode projections = get(config().queryUrl() + "/api/v1/projections").json();
    assertThat(projections)
        .extracting(p -> p.get("projection").asText())
        .contains("accounts", "transfers", "transactions");
    for (JsonNode projection : projections) {
      assertThat(projection.get("partitions")).isNotEmpty();
      assertThat(projection.has("lagSeconds")).isTrue();
    }
  }
}
