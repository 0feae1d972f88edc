package io.ledgerline.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerline.infra.localstack.StackConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsTest {

  @TempDir Path home;

  private Options parse(Map<String, String> flags) {
    StackConfig config =
        StackConfig.resolve(Map.of("home", home.toString(), "repo", home.toString()), Map.of());
    return Options.parse(flags, config);
  }

  @Test
  void theRawPhasesTakeTheWarmUpUpToHalfAMinute() {
    assertThat(RawLimits.rawWarmup(parse(Map.of("warmup", "5")))).hasSeconds(5);
    assertThat(RawLimits.rawWarmup(parse(Map.of("warmup", "1500")))).hasSeconds(30);
  }

  @Test
  void withoutP5EventsP5ReplaysWhatIsStored() {
    assertThat(parse(Map.of()).p5Events()).isZero();
  }

  @Test
  void canAskP5ForAStoreOfTheThroughputIssuesSize() {
    Options options = parse(Map.of("p5-events", "221000", "phase", "P5"));

    assertThat(options.p5Events()).isEqualTo(221_000);
    assertThat(options.phases()).containsExactly("P5");
  }

  @Test
  void cannotAskForANegativeOrFractionalNumberOfEvents() {
    for (String value : new String[] {"-1", "1.5", "lots"}) {
      assertThatThrownBy(() -> parse(Map.of("p5-events", value)))
          .as(value)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--p5-events must be a whole number");
    }
  }

  @Test
  void cannotAskForP5EventsWhenP5DoesNotRun() {
    assertThatThrownBy(() -> parse(Map.of("p5-events", "221000", "phase", "P1,P3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--p5-events")
        .hasMessageContaining("--phase");
  }

  @Test
  void helpListsP5Events() {
    assertThat(Benchmark.help()).contains("--p5-events");
  }
}
