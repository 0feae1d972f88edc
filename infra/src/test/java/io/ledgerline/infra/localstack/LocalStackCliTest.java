package io.ledgerline.infra.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalStackCliTest {

  @Test
  void helpListsEverySubcommandAndEveryPart() {
    String help = LocalStackCli.help();
    for (String command :
        List.of(
            "up", "down", "status", "restart", "token", "verify", "bench", "rebuild", "images")) {
      assertThat(help).containsPattern("(?m)^\\s+" + command + "\\b");
    }
    for (String part : LocalStack.PARTS) {
      assertThat(help).contains(part);
    }
  }

  @Test
  void everySubcommandExplainsItselfWithHelpInsteadOfRunning() {
    // bench is the benchmark's own program (Benchmark.help), run by the wrapper directly.
    for (String command :
        List.of("up", "down", "status", "restart", "token", "verify", "rebuild", "images")) {
      for (String flag : List.of("--help", "-h")) {
        Optional<String> help = LocalStackCli.helpFor(new String[] {command, flag});
        assertThat(help).as(command + " " + flag).isPresent();
        assertThat(help.get())
            .as(command + " " + flag)
            .startsWith("usage: infra/bin/ledgerline " + command)
            .isNotEqualTo(LocalStackCli.help())
            .contains("infra/bin/ledgerline --help");
      }
    }
  }

  @Test
  void helpIsAskedForAnywhereAfterTheCommandButNeverByAnArgument() {
    assertThat(LocalStackCli.helpFor(new String[] {"rebuild", "transfers", "--home=x", "-h"}))
        .contains(LocalStackCli.help("rebuild"));
    assertThat(LocalStackCli.helpFor(new String[] {"--help"})).contains(LocalStackCli.help());
    assertThat(LocalStackCli.helpFor(new String[] {"down"})).isEmpty();
    assertThat(LocalStackCli.helpFor(new String[] {"down", "--home=.ledgerline/it"})).isEmpty();
    // "help" after a command is an argument (a projection, a part), not a request for help.
    assertThat(LocalStackCli.helpFor(new String[] {"rebuild", "help"})).isEmpty();
  }

  @Test
  void theRestartHelpNamesEveryPart() {
    String help = LocalStackCli.help("restart");
    assertThat(help).startsWith("usage: infra/bin/ledgerline restart ");
    for (String part : LocalStack.PARTS) {
      assertThat(help.lines().findFirst().orElseThrow()).contains(part);
    }
  }
}
