package io.ledgerline.infra.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RawLimitsCleanupTest {

  @Test
  void aScratchResourceIsRemovedWhenTheBenchmarkIsStoppedUntilThePhaseRemovedItItself() {
    AtomicInteger removed = new AtomicInteger();

    Thread hook = RawLimits.whenStopped("scratch table", removed::incrementAndGet);

    // Registered: the JVM runs it on Ctrl-C or kill.
    assertThat(Runtime.getRuntime().removeShutdownHook(hook)).isTrue();
    hook.run();
    assertThat(removed).hasValue(1);

    Thread cancelled = RawLimits.whenStopped("scratch topic", removed::incrementAndGet);
    RawLimits.cancel(cancelled);
    // Gone once the phase cleaned up after itself: nothing runs at exit.
    assertThat(Runtime.getRuntime().removeShutdownHook(cancelled)).isFalse();
  }

  @Test
  void aFailingCleanUpIsReportedAndDoesNotStopTheOthers() {
    Thread hook =
        RawLimits.whenStopped(
            "scratch table",
            () -> {
              throw new IllegalStateException("database gone");
            });
    RawLimits.cancel(hook);
    PrintStream stderr = System.err;
    ByteArrayOutputStream reported = new ByteArrayOutputStream();
    System.setErr(new PrintStream(reported, true, StandardCharsets.UTF_8));
    try {
      // Runs to its end: the JVM's other shutdown hooks still run.
      assertThatCode(hook::run).doesNotThrowAnyException();
    } finally {
      System.setErr(stderr);
    }

    assertThat(reported.toString(StandardCharsets.UTF_8))
        .contains("scratch table not removed")
        .contains("database gone");
  }
}
