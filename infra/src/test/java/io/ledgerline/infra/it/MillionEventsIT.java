package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static io.ledgerline.infra.it.Ledgerline.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Guarantee: the query side reads the whole event store in bounded memory. Fault: a store of more
 * than a million events (10,000 accounts of 100 events each, added at once). Reconciliation and the
 * integrity check read all of it at the query side's default heap without it running out of memory
 * or restarting. Runs last: the projections are still catching up when the stack stops.
 */
@SystemTest
@Order(Integer.MAX_VALUE)
class MillionEventsIT {

  private static final int ACCOUNTS = 10_000;
  private static final int EVENTS_PER_ACCOUNT = 100;
  private static final Duration WHOLE_STORE = Duration.ofMinutes(5);

  @Test
  void reconciliationAndVerifyReadAMillionEventsWithinTheDefaultHeap() throws Exception {
    int restartsBefore = LocalStackExtension.RunningStack.stack().restartCount("query-side");
    Ledgerline.appendAccountHistories("million-", ACCOUNTS, EVENTS_PER_ACCOUNT);

    // The guarantee is bounded memory, not speed: a request over a million events while three
    // projections catch up on the same two cores took longer than the usual 30 s on a CI machine.
    var reconciliation =
        post(config().queryUrl() + "/api/v1/admin/reconciliation", null, Map.of(), WHOLE_STORE);
    assertThat(reconciliation.status()).as(reconciliation.body()).isEqualTo(200);
    assertThat(reconciliation.json().get("events").asLong())
        .isGreaterThanOrEqualTo((long) ACCOUNTS * EVENTS_PER_ACCOUNT);

    var verify = post(config().queryUrl() + "/api/v1/audit/verify", "{}", Map.of(), WHOLE_STORE);
    assertThat(verify.status()).as(verify.body()).isEqualTo(200);
    assertThat(verify.json().get("checked").asLong())
        .isGreaterThanOrEqualTo((long) ACCOUNTS * EVENTS_PER_ACCOUNT);

    assertThat(get(config().queryUrl() + "/actuator/health/readiness").status()).isEqualTo(200);
    assertThat(LocalStackExtension.RunningStack.stack().restartCount("query-side"))
        .as("query-side restarts")
        .isEqualTo(restartsBefore);
  }
}
