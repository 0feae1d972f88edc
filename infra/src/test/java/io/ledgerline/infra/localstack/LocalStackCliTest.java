package io.ledgerline.infra.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LocalStackCliTest {

  @Test
  void helpListsEverySubcommandAndEveryPart() {
    String help = LocalStackCli.help();
    for (String command :
        List.of("up", "down", "status", "restart", "token", "verify", "bench", "rebuild")) {
      assertThat(help).containsPattern("(?m)^\\s+" + command + "\\b");
    }
    for (String part : LocalStack.PARTS) {
      assertThat(help).contains(part);
    }
  }
}
