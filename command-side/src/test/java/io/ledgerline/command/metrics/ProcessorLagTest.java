package io.ledgerline.command.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProcessorLagTest {

  @Test
  void aProcessorIsAsFarBehindAsItsSlowestSegment() {
    assertThat(ProcessorLag.of(1_000, List.of(OptionalLong.of(990), OptionalLong.of(700))))
        .isEqualTo(300);
  }

  @Test
  void aProcessorAtTheHeadHasNoLag() {
    assertThat(ProcessorLag.of(1_000, List.of(OptionalLong.of(1_000)))).isZero();
  }

  @Test
  void aSegmentThatHandledNothingYetHasTheWholeStoreBeforeIt() {
    assertThat(ProcessorLag.of(1_000, List.of(OptionalLong.of(1_000), OptionalLong.empty())))
        .isEqualTo(1_000);
    assertThat(ProcessorLag.of(0, List.of(OptionalLong.empty()))).isZero();
  }

  @Test
  void aTokenThatMovedPastAnEarlierReadHeadIsNoNegativeLag() {
    assertThat(ProcessorLag.of(1_000, List.of(OptionalLong.of(1_005)))).isZero();
  }
}
