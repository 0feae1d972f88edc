package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static io.ledgerline.infra.it.Ledgerline.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * An event the transfer process can never handle no longer holds up every transfer behind it: it is
 * parked as a dead letter with its reason, its transfer reads as stuck, every other transfer
 * completes, an admin lists it, and once its cause is fixed a retry completes the transfer, with
 * the money moved exactly once.
 */
@SystemTest
@Order(36)
class ProcessDeadLetterIT {

  private static final String DEAD_LETTERS = "/api/v1/admin/dead-letters";

  @Test
  void aTransferThatCannotGoOnIsParkedShownStuckAndRetriedWhileOthersComplete() throws Exception {
    // A source account the directory knows but whose history is missing: debiting it fails the
    // same way on every attempt, the poison that used to wedge the whole transfer process.
    String ghost = "ghost-" + UUID.randomUUID();
    String payee = openAccount("EUR", "dead-letter-payee");
    try (Connection db = Ledgerline.database();
        PreparedStatement insert =
            db.prepareStatement(
                "insert into account_directory (account_id, owner_id, currency, status,"
                    + " opened_at) values (?, 'dead-letter-payer', 'EUR', 'OPEN', now())")) {
      insert.setString(1, ghost);
      insert.executeUpdate();
    }
    String stuck = Ledgerline.requestTransfer(ghost, payee, 25);

    // A client waiting for the outcome is answered once the step is parked, not at the wait's end.
    JsonNode waited = null;
    for (int request = 0; request < 6 && waited == null; request++) {
      long started = System.nanoTime();
      var response = get(transferUrl(stuck) + "?waitSeconds=10");
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      if (response.json().get("stuck").asBoolean()) {
        waited = response.json();
        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .as("a transfer parked during the wait ends it")
            .isLessThan(Duration.ofSeconds(10));
      }
    }
    assertThat(waited).as("seen stuck within six waits").isNotNull();
    assertThat(waited.get("status").asText()).isEqualTo("REQUESTED");

    JsonNode letter = awaitParked(stuck);
    assertThat(letter.get("processor").asText()).isEqualTo("transfer-process");
    assertThat(letter.get("type").asText()).isEqualTo("TransferRequested");
    assertThat(letter.get("aggregateId").asText()).isEqualTo(stuck);
    assertThat(letter.get("eventId").asText()).isNotBlank();
    assertThat(letter.get("causeType").asText()).endsWith("AggregateNotFoundException");
    assertThat(letter.get("causeMessage").asText()).isNotBlank();
    assertThat(letter.get("enqueuedAt").asText()).isNotBlank();
    assertThat(letter.get("lastTouched").asText()).isNotBlank();
    assertThat(letter.get("attempts").asInt()).isEqualTo(1);

    JsonNode asOperator = transfer(stuck);
    assertThat(asOperator.get("status").asText()).isEqualTo("REQUESTED");
    assertThat(asOperator.get("stuck").asBoolean()).isTrue();
    assertThat(asOperator.get("stuckReason").asText()).contains("AggregateNotFoundException");
    // A customer sees that it is held, not the internals of why.
    var asPayee =
        Ledgerline.send(
            HttpRequest.newBuilder(URI.create(transferUrl(stuck)))
                .header(
                    "Authorization", "Bearer " + Ledgerline.token("customer", "dead-letter-payee"))
                .GET()
                .build());
    assertThat(asPayee.status()).as(asPayee.body()).isEqualTo(200);
    assertThat(asPayee.json().get("stuck").asBoolean()).isTrue();
    assertThat(asPayee.json().get("stuckReason").asText()).doesNotContain("Exception");

    // Every other transfer goes on meanwhile.
    String payer = openAccount("EUR", "dead-letter-other-payer");
    assertThat(command(payer, "deposits", "{\"amount\":100}").status()).isEqualTo(200);
    JsonNode other = awaitEnd(Ledgerline.requestTransfer(payer, payee, 40));
    assertThat(other.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(other.get("stuck").asBoolean()).isFalse();

    // Retried while the cause remains, it stays parked with one more failed attempt: never lost.
    var early = retry();
    assertThat(early.json().get("failed").asInt()).isPositive();
    List<JsonNode> stillParked = parked(stuck);
    assertThat(stillParked).hasSize(1);
    assertThat(stillParked.get(0).get("attempts").asInt()).isEqualTo(2);
    assertThat(transfer(stuck).get("stuck").asBoolean()).isTrue();

    // The cause fixed (the account's history restored), a retry completes the transfer.
    try (Connection db = Ledgerline.database()) {
      store(
          db,
          ghost,
          0,
          "AccountOpened",
          "{\"accountId\":\""
              + ghost
              + "\",\"ownerId\":\"dead-letter-payer\",\"currency\":\"EUR\","
              + "\"overdraftLimitMinor\":0}");
      store(
          db,
          ghost,
          1,
          "FundsDeposited",
          "{\"accountId\":\""
              + ghost
              + "\",\"amountMinor\":100,\"currency\":\"EUR\",\"balanceAfterMinor\":100,"
              + "\"reference\":null}");
    }
    var fixed = retry();
    assertThat(fixed.json().get("retried").asInt()).isPositive();
    JsonNode completed = awaitEnd(stuck);
    assertThat(completed.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(completed.get("stuck").asBoolean()).isFalse();
    assertThat(parked(stuck)).isEmpty();

    // Each transfer moved its amount exactly once.
    assertThat(command(ghost, "deposits", "{\"amount\":1}").json().get("balance").asLong())
        .isEqualTo(100 - 25 + 1);
    assertThat(command(payee, "deposits", "{\"amount\":1}").json().get("balance").asLong())
        .isEqualTo(25 + 40 + 1);
    assertThat(CommandApiIT.eventCount(ghost, "TransferDebited")).isEqualTo(1);
    assertThat(CommandApiIT.eventCount(payee, "TransferCredited")).isEqualTo(2);
  }

  @Test
  void theDeadLetterApiIsBoundedAndForAdminsOnly() {
    String list = config().commandUrl() + DEAD_LETTERS;

    var page = get(list + "?processor=kafka-publisher&size=500");
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    assertThat(page.json().get("items").size()).isLessThanOrEqualTo(500);
    assertThat(page.json().has("letters")).isTrue();

    var unknown = get(list + "?processor=account-directory");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("type").asText()).isEqualTo("urn:ledgerline:problem:not-found");
    var tooLarge = get(list + "?processor=transfer-process&size=501");
    assertThat(tooLarge.status()).isEqualTo(400);
    assertThat(tooLarge.json().get("type").asText()).isEqualTo("urn:ledgerline:problem:validation");
    var retryUnknown = post(list + "/no-such-processor/retry", null, Map.of());
    assertThat(retryUnknown.status()).isEqualTo(404);

    for (String role : List.of("operator", "auditor", "customer")) {
      var denied =
          Ledgerline.send(
              HttpRequest.newBuilder(URI.create(list + "?processor=transfer-process"))
                  .header(
                      "Authorization", "Bearer " + Ledgerline.token(role, "system-test-" + role))
                  .GET()
                  .build());
      assertThat(denied.status()).as(role).isEqualTo(403);
    }
  }

  private static Ledgerline.Response retry() {
    var retried =
        post(config().commandUrl() + DEAD_LETTERS + "/transfer-process/retry", null, Map.of());
    assertThat(retried.status()).as(retried.body()).isEqualTo(200);
    return retried;
  }

  private static JsonNode awaitParked(String transferId) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> !parked(transferId).isEmpty());
    return parked(transferId).get(0);
  }

  /** The transfer process's parked letters of one transfer (its sequence). */
  private static List<JsonNode> parked(String transferId) {
    var page = get(config().commandUrl() + DEAD_LETTERS + "?processor=transfer-process&size=500");
    if (page.status() != 200) {
      throw new AssertionError("listing dead letters failed: " + page);
    }
    List<JsonNode> parked = new ArrayList<>();
    for (JsonNode letter : page.json().get("items")) {
      if (transferId.equals(letter.get("sequenceIdentifier").asText())) {
        parked.add(letter);
      }
    }
    return parked;
  }

  private static String transferUrl(String transferId) {
    return config().commandUrl() + "/api/v1/transfers/" + transferId;
  }

  private static JsonNode transfer(String transferId) {
    var response = get(transferUrl(transferId));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static JsonNode awaitEnd(String transferId) {
    JsonNode[] transfer = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              var response = get(transferUrl(transferId));
              transfer[0] = response.json();
              return response.status() == 200
                  && !"REQUESTED".equals(transfer[0].get("status").asText());
            });
    return transfer[0];
  }

  /** Appends an event as the database owner, the way data is repaired by hand. */
  private static void store(
      Connection db, String accountId, long sequence, String type, String json) throws Exception {
    try (PreparedStatement insert =
        db.prepareStatement(
            "insert into domain_event_entry (event_identifier, aggregate_identifier,"
                + " sequence_number, type, time_stamp, payload_type, payload_revision, payload,"
                + " meta_data) values (?, ?, ?, 'Account', ?, ?, null, ?, ?)")) {
      insert.setString(1, UUID.randomUUID().toString());
      insert.setString(2, accountId);
      insert.setLong(3, sequence);
      insert.setString(4, Instant.now().toString());
      insert.setString(5, "io.ledgerline.events." + type);
      insert.setBytes(6, json.getBytes(StandardCharsets.UTF_8));
      insert.setBytes(7, "{\"subject\":\"repair\"}".getBytes(StandardCharsets.UTF_8));
      insert.executeUpdate();
    }
  }
}
