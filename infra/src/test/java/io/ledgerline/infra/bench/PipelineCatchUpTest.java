package io.ledgerline.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.infra.localstack.ServiceLag;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineCatchUpTest {

  private static final ServiceLag.Lag PROCESSORS_AT_ZERO =
      new ServiceLag.Lag(Map.of("kafka-publisher", 0L, "transfer-process", 0L), true, "");
  private static final ServiceLag.Lag PROJECTIONS_AT_ZERO =
      new ServiceLag.Lag(Map.of("accounts", 0L, "transactions", 0L), true, "");
  private static final Duration LATER = PipelineCatchUp.GAUGE_AGE;

  @Test
  void bothServicesAtZeroAfterTheGaugesRefreshedHaveCaughtUp() {
    assertThat(PipelineCatchUp.caughtUp(PROCESSORS_AT_ZERO, PROJECTIONS_AT_ZERO, LATER)).isTrue();
  }

  @Test
  void aZeroReadSoonAfterTheAppendIsNotTrusted() {
    // The command side's gauge may still be the one computed before the seeded events.
    assertThat(
            PipelineCatchUp.caughtUp(PROCESSORS_AT_ZERO, PROJECTIONS_AT_ZERO, LATER.minusMillis(1)))
        .isFalse();
  }

  @Test
  void aPublisherOrAProjectionStillBehindHasNotCaughtUp() {
    ServiceLag.Lag publisherBehind =
        new ServiceLag.Lag(Map.of("kafka-publisher", 20_000L, "transfer-process", 0L), true, "");
    ServiceLag.Lag projectionBehind =
        new ServiceLag.Lag(Map.of("accounts", 0L, "transactions", 3L), true, "");

    assertThat(PipelineCatchUp.caughtUp(publisherBehind, PROJECTIONS_AT_ZERO, LATER)).isFalse();
    assertThat(PipelineCatchUp.caughtUp(PROCESSORS_AT_ZERO, projectionBehind, LATER)).isFalse();
  }

  @Test
  void aServiceWhoseLagCannotBeReadHasNotCaughtUp() {
    ServiceLag.Lag unknown = new ServiceLag.Lag(Map.of(), false, "unknown (no answer)");

    assertThat(PipelineCatchUp.caughtUp(unknown, PROJECTIONS_AT_ZERO, LATER)).isFalse();
    assertThat(PipelineCatchUp.caughtUp(PROCESSORS_AT_ZERO, unknown, LATER)).isFalse();
  }
}
