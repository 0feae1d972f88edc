package io.ledgerline.infra.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartStateTest {

  @TempDir Path home;

  private StackConfig config() {
    return StackConfig.resolve(Map.of("home", home.toString(), "repo", home.toString()), Map.of());
  }

  @Test
  void theFirstStartIsNotARestartEveryLaterOneIs() throws Exception {
    StackConfig config = config();
    assertThat(PartState.read(config, "kafka")).isEqualTo(PartState.NONE);

    PartState.countStart(config, "kafka");
    assertThat(PartState.read(config, "kafka").restarts()).isZero();
    PartState.countStart(config, "kafka");
    PartState.countStart(config, "kafka");
    assertThat(PartState.read(config, "kafka").restarts()).isEqualTo(2);

    PartState.delete(config, "kafka");
    PartState.countStart(config, "kafka");
    assertThat(PartState.read(config, "kafka").restarts()).isZero();
  }

  @Test
  void readsWhatTheSupervisorWrites() throws Exception {
    StackConfig config = config();
    Files.createDirectories(config.run());
    Files.writeString(
        config.run().resolve("command-side.restarts"),
        "restarts=3\nlast_exit_code=137\nlast_exit_at=2025-01-02T03:04:05Z\nstate=backoff\n");

    PartState state = PartState.read(config, "command-side");

    assertThat(state).isEqualTo(new PartState(3, "137", "2025-01-02T03:04:05Z", "backoff"));
    assertThat(state.describe()).isEqualTo("3 (last exit 137 at 2025-01-02T03:04:05Z)");
    // A launcher's restart keeps what the supervisor recorded.
    PartState.countStart(config, "command-side");
    assertThat(PartState.read(config, "command-side"))
        .isEqualTo(new PartState(4, "137", "2025-01-02T03:04:05Z", "backoff"));
  }
}
