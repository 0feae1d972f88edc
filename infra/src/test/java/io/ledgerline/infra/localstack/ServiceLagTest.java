package io.ledgerline.infra.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceLagTest {

  @Test
  void readsEachProcessorsLagFromTheCommandSidesScrape() {
    String scrape =
        """
        # HELP ledgerline_processor_lag_events Event store positions a tracking processor has still to handle
        # TYPE ledgerline_processor_lag_events gauge
        ledgerline_processor_lag_events{application="command-side",processor="transfer-process"} 3.0
        ledgerline_processor_lag_events{application="command-side",processor="kafka-publisher",} 0.0
        ledgerline_audit_unsealed_events{application="command-side"} 12.0
        """;

    assertThat(ServiceLag.processors(scrape))
        .isEqualTo("kafka-publisher 0 events, transfer-process 3 events behind the event store");
  }

  @Test
  void aScrapeWithoutProcessorsSaysSoInsteadOfShowingNothing() {
    assertThat(ServiceLag.processors("jvm_threads_live_threads 42.0\n")).startsWith("unknown");
  }

  @Test
  void readsEachProjectionsTotalsNotItsPartitions() {
    String json =
        """
        [{"projection":"accounts","partitions":[{"partition":0,"position":5,"end":9,"lag":4,\
        "lagSeconds":2.5},{"partition":1,"position":3,"end":3,"lag":0,"lagSeconds":0.0}],\
        "lagEvents":4,"lagSeconds":2.5},\
        {"projection":"transfers","partitions":[],"lagEvents":0,"lagSeconds":0.0}]""";

    assertThat(ServiceLag.projections(json))
        .isEqualTo("accounts 4 events (2.5 s), transfers 0 events (0.0 s) behind the event topic");
  }

  @Test
  void anAnswerWithoutProjectionsIsUnknown() {
    assertThat(ServiceLag.projections("[]")).startsWith("unknown");
  }
}
