package io.ledgerline.infra.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerifyCommandTest {

  @Test
  void anIntactStoreIsSaidToBeIntactWithTheEventsChecked() {
    assertThat(
            VerifyCommand.verdict(
                200, "{\"valid\":true,\"checked\":1042,\"firstBroken\":null}", true))
        .isEqualTo("history intact: 1042 events checked, no broken link");
  }

  @Test
  void anAlteredStoreIsSaidToBeAltered() {
    String report =
        "{\"valid\":false,\"checked\":7,\"firstBroken\":{\"aggregateId\":\"a\",\"sequence\":3}}";
    assertThat(VerifyCommand.verdict(200, report, false)).startsWith("HISTORY ALTERED: 7 events");
  }

  @Test
  void noAnswerIsNeverTakenForAVerdict() {
    assertThat(VerifyCommand.verdict(503, "{}", false))
        .isEqualTo("verify failed: HTTP 503 from the audit API");
  }
}
