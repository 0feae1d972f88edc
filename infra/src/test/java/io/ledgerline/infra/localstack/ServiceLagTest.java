package io.ledgerline.infra.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

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

    ServiceLag.Lag lag = ServiceLag.processors(scrape);

    assertThat(lag.text())
        .isEqualTo("kafka-publisher 0 events, transfer-process 3 events behind the event store");
    assertThat(lag.events())
        .containsEntry("kafka-publisher", 0L)
        .containsEntry("transfer-process", 3L);
    assertThat(lag.caughtUp()).isFalse();
  }

  @Test
  void processorsAllAtZeroHaveCaughtUp() {
    String scrape =
        """
        ledgerline_processor_lag_events{application="command-side",processor="kafka-publisher"} 0.0
        ledgerline_processor_lag_events{application="command-side",processor="top-up-process"} 0.0
        """;

    assertThat(ServiceLag.processors(scrape).caughtUp()).isTrue();
  }

  @Test
  void aProcessorWhoseLagIsUnknownHasNotCaughtUp() {
    String scrape =
        """
        ledgerline_processor_lag_events{application="command-side",processor="kafka-publisher"} 0.0
        ledgerline_processor_lag_events{application="command-side",processor="top-up-process"} NaN
        """;

    ServiceLag.Lag lag = ServiceLag.processors(scrape);

    assertThat(lag.text())
        .isEqualTo("kafka-publisher 0 events, top-up-process unknown behind the event store");
    assertThat(lag.caughtUp()).isFalse();
  }

  @Test
  void aScrapeWithoutProcessorsSaysSoInsteadOfShowingNothing() {
    ServiceLag.Lag lag = ServiceLag.processors("jvm_threads_live_threads 42.0\n");

    assertThat(lag.text()).startsWith("unknown");
    assertThat(lag.caughtUp()).isFalse();
  }

  @Test
  void readsEachProjectionsTotalsNotItsPartitions() {
    String json =
        """
        [{"projection":"accounts","partitions":[{"partition":0,"position":5,"end":9,"lag":4,\
        "lagSeconds":2.5},{"partition":1,"position":3,"end":3,"lag":0,"lagSeconds":0.0}],\
        "lagEvents":4,"lagSeconds":2.5},\
        {"projection":"transfers","partitions":[],"lagEvents":0,"lagSeconds":0.0}]""";

    ServiceLag.Lag lag = ServiceLag.projections(json);

    assertThat(lag.text())
        .isEqualTo("accounts 4 events (2.5 s), transfers 0 events (0.0 s) behind the event topic");
    assertThat(lag.events()).containsExactly(entry("accounts", 4L), entry("transfers", 0L));
    assertThat(lag.caughtUp()).isFalse();
  }

  @Test
  void anAnswerWithoutProjectionsIsUnknown() {
    ServiceLag.Lag lag = ServiceLag.projections("[]");

    assertThat(lag.text()).startsWith("unknown");
    assertThat(lag.caughtUp()).isFalse();
  }
}
