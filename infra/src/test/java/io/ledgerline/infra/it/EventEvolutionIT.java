package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Events stored in older shapes (before AccountFrozen had frozenBy, and TransferFailed at revision
 * 1 without a failure code) still load into aggregates, publish, project and answer audits.
 */
@SystemTest
@Order(35)
class EventEvolutionIT {

  @Test
  void oldAccountEventsStillLoadReplayAndProject() throws Exception {
    String account = "legacy-account-" + UUID.randomUUID();
    try (Connection db = Ledgerline.database()) {
      store(
          db,
          account,
          0,
          "Account",
          "AccountOpened",
          null,
          "{\"accountId\":\""
              + account
              + "\",\"ownerId\":\"legacy\",\"currency\":\"EUR\",\"overdraftLimitMinor\":0}");
      store(
          db,
          account,
          1,
          "Account",
          "AccountFrozen",
          null,
          "{\"accountId\":\"" + account + "\",\"reason\":\"stored before frozenBy\"}");
    }
    AccountSliceIT.awaitProjected(account, 1);
    assertThat(Ledgerline.queryAccount(account).json().get("status").asText()).isEqualTo("FROZEN");

    // The aggregate rebuilds from the old events and takes new commands.
    var unfrozen = command(account, "unfreeze", "{\"reason\":\"after upgrade\"}");
    assertThat(unfrozen.status()).as(unfrozen.body()).isEqualTo(200);
    assertThat(unfrozen.json().get("version").asLong()).isEqualTo(2);
    assertThat(AccountSliceIT.awaitProjected(account, 2).get("status").asText()).isEqualTo("OPEN");
  }

  @Test
  void aRevisionOneTransferFailedIsUpcastEverywhere() throws Exception {
    String transfer = "legacy-transfer-" + UUID.randomUUID();
    try (Connection db = Ledgerline.database()) {
      store(
          db,
          transfer,
          0,
          "Transfer",
          "TransferRequested",
          null,
          "{\"transferId\":\""
              + transfer
              + "\",\"fromAccountId\":\"legacy-missing-source\","
              + "\"toAccountId\":\"legacy-missing-destination\",\"amountMinor\":5,\"currency\":\"EUR\",\"reference\":null}");
      store(
          db,
          transfer,
          1,
          "Transfer",
          "TransferFailed",
          null,
          "{\"transferId\":\"" + transfer + "\",\"reason\":\"destination account is frozen\"}");
    }
    // Published through Axon's upcaster and projected by the query side.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              var projected = get(config().queryUrl() + "/api/v1/transfers/" + transfer);
              assertThat(projected.status()).isEqualTo(200);
              assertThat(projected.json().get("status").asText()).isEqualTo("FAILED");
            });
    // Read straight from the store by the audit API, upcast the same way.
    var state =
        get(config().queryUrl() + "/api/v1/audit/transfers/" + transfer + "/state?version=1")
            .json();
    assertThat(state.get("failureCode").asText()).isEqualTo("DESTINATION_FROZEN");
    assertThat(state.get("reason").asText()).isEqualTo("destination account is frozen");
  }

  private static void store(
      Connection db,
      String aggregateId,
      long sequence,
      String aggregateType,
      String type,
      String revision,
      String json)
      throws Exception {
    try (PreparedStatement insert =
        db.prepareStatement(
            "insert into domain_event_entry (event_identifier, aggregate_identifier, sequence_number,"
                + " type, time_stamp, payload_type, payload_revision, payload, meta_data)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, UUID.randomUUID().toString());
      insert.setString(2, aggregateId);
      insert.setLong(3, sequence);
      insert.setString(4, aggregateType);
      insert.setString(5, Instant.now().toString());
      insert.setString(6, "io.ledgerline.events." + type);
      insert.setString(7, revision);
      insert.setBytes(8, json.getBytes());
      insert.setBytes(9, "{\"subject\":\"migration\"}".getBytes());
      insert.executeUpdate();
    }
  }
}
