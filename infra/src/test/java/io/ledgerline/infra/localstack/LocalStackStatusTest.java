package io.ledgerline.infra.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackStatusTest {

  @TempDir Path home;

  @Test
  void aStackThatIsNotRunningShowsEveryPartDownAndItsLagUnknown() {
    StackConfig config =
        StackConfig.resolve(Map.of("home", home.toString(), "repo", home.toString()), Map.of());
    LocalStack testSubject = new LocalStack(config, new PrintStream(new ByteArrayOutputStream()));

    List<String> status = testSubject.status();

    for (String part : LocalStack.PARTS) {
      assertThat(status)
          .as(part)
          .anySatisfy(
              line -> assertThat(line).startsWith(part + " ").contains("stopped").contains("down"));
    }
    assertThat(status.stream().filter(line -> line.trim().startsWith("lag:")))
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).contains("lag: unknown"));
    assertThat(testSubject.isUp()).isFalse();
    // Asking must not create what 'up' creates: a key made now would not be the services' one.
    assertThat(Files.exists(config.home().resolve("security"))).isFalse();
  }
}
