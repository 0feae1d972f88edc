package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static io.ledgerline.infra.it.Ledgerline.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** A command side killed while transfers are in flight finishes them after its restart. */
@SystemTest
@Order(70)
class CrashRecoveryIT {

  @Test
  void transfersInFlightWhenTheCommandSideIsKilledFinishExactlyOnceAfterARestart()
      throws Exception {
    String from = openAccount("EUR", "crash-payer");
    String to = openAccount("EUR", "crash-payee");
    command(from, "deposits", "{\"amount\":1000}");
    List<String> transfers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      var accepted =
          post(
              config().commandUrl() + "/api/v1/transfers",
              "{\"fromAccountId\":\"" + from + "\",\"toAccountId\":\"" + to + "\",\"amount\":7}",
              Map.of());
      assertThat(accepted.status()).isEqualTo(202);
      transfers.add(accepted.json().get("transferId").asText());
    }

    LocalStackExtension.RunningStack.crashAndRestartCommandSide();

    for (String transfer : transfers) {
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  "COMPLETED"
                      .equals(
                          Ledgerline.get(config().commandUrl() + "/api/v1/transfers/" + transfer)
                              .json()
                              .path("status")
                              .asText()));
    }
    // Each transfer moved its amount exactly once.
    var source = command(from, "deposits", "{\"amount\":1}");
    assertThat(source.json().get("balance").asLong()).isEqualTo(1000 - 20 * 7 + 1);
    var destination = command(to, "deposits", "{\"amount\":1}");
    assertThat(destination.json().get("balance").asLong()).isEqualTo(20 * 7 + 1);
    assertThat(CommandApiIT.eventCount(from, "TransferDebited")).isEqualTo(20);
    assertThat(CommandApiIT.eventCount(to, "TransferCredited")).isEqualTo(20);
  }
}
