package io.ledgerline.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class JitSettlingTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void readsTheCompilationCounterFromAPrometheusPage() {
    String page =
        """
        # HELP jvm_compilation_time_ms_total The approximate accumulated elapsed time spent in compilation
        # TYPE jvm_compilation_time_ms_total counter
        jvm_compilation_time_ms_total{application="ledgerline-command-side",compiler="HotSpot 64-Bit Tiered Compilers"} 605371.0
        jvm_compilation_time_ms_totalish{application="x"} 5.0
        jvm_gc_pause_seconds_count{action="end of minor GC"} 7.0
        """;

    assertThat(JitSettling.parseCompiledMillis(page)).isEqualTo(605_371.0);
    assertThat(JitSettling.parseCompiledMillis("jvm_gc_pause_seconds_count 7.0\n")).isNull();
  }

  @Test
  void theShareIsTheCountersGrowthOverTheLastWindow() {
    Deque<JitSettling.Reading> readings = new ArrayDeque<>();
    readings.add(new JitSettling.Reading(0, 1_000));
    readings.add(new JitSettling.Reading(10 * SECOND, 31_000)); // 3 s a second, long ago
    readings.add(new JitSettling.Reading(20 * SECOND, 32_000));
    readings.add(new JitSettling.Reading(40 * SECOND, 33_000));
    readings.add(new JitSettling.Reading(50 * SECOND, 34_000));

    // From the newest reading at least 30 s before the last one (at 20 s): 2 s in 30 s.
    assertThat(JitSettling.compilingShare(readings, Duration.ofSeconds(30)))
        .isCloseTo(2_000.0 / 1_000 / 30, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void readingsThatDoNotSpanTheWindowGiveNoShareYet() {
    Deque<JitSettling.Reading> readings = new ArrayDeque<>();
    assertThat(JitSettling.compilingShare(readings, Duration.ofSeconds(30))).isNull();
    readings.add(new JitSettling.Reading(0, 1_000));
    readings.add(new JitSettling.Reading(29 * SECOND, 1_000));
    assertThat(JitSettling.compilingShare(readings, Duration.ofSeconds(30))).isNull();
    readings.add(new JitSettling.Reading(30 * SECOND, 1_000));
    assertThat(JitSettling.compilingShare(readings, Duration.ofSeconds(30))).isZero();
  }
}
