package io.ledgerline.query.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ReconciliationMetersTest {

  private final MeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void nothingIsReportedBeforeTheFirstRun() {
    new ReconciliationMeters(registry);
    assertThat(differences()).isNaN();
    assertThat(runs("clean")).isZero();
    assertThat(runs("differences")).isZero();
  }

  @Test
  void theLastRunsDifferencesAndEachRunsResultAreRecorded() {
    ReconciliationMeters meters = new ReconciliationMeters(registry);

    meters.completed(4);
    assertThat(differences()).isEqualTo(4);

    meters.completed(0);
    assertThat(differences()).isZero();
    assertThat(runs("clean")).isEqualTo(1);
    assertThat(runs("differences")).isEqualTo(1);
  }

  private double differences() {
    return registry.get(ReconciliationMeters.DIFFERENCES).gauge().value();
  }

  private double runs(String result) {
    return registry.get(ReconciliationMeters.RUNS).tag("result", result).functionCounter().count();
  }
}
