package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ledgerline.events.EventRevisions;
import io.ledgerline.events.EventWireFormat;
import io.ledgerline.events.OwnerEvent;
import io.ledgerline.eventstore.EventHash;
import io.ledgerline.eventstore.EventStoreReader;
import io.ledgerline.eventstore.StoredEvent;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Guarantee: the tamper evidence computed in Java ({@code EventHash}, which the integrity verifier
 * and the checkpoint writer use) is the database's own, for every event type of shared-events. The
 * events are written through the API, so the hashes compared are the ones the insert trigger
 * stored; the database function is also asked directly about the fields the API never leaves empty.
 */
@SystemTest
@Order(32)
class EventHashIT {

  @Test
  void everyEventTypeWrittenThroughTheApiCarriesTheHashEventHashComputes() {
    String payer = openAccount("EUR", "hash-payer");
    String payee = openAccount("EUR", "hash-payee");
    String closing = openAccount("EUR", "hash-closing");
    ok(command(payer, "deposits", "{\"amount\":500,\"reference\":\"café ☕ 𝄞\"}"));
    ok(command(payer, "withdrawals", "{\"amount\":100}"));
    // Completes: requested, debited, credited, completed.
    String completed = awaitEnd(Ledgerline.requestTransfer(payer, payee, 50, "hash ✓"));
    // Refused at the source: debit refused, failed.
    String refused = awaitEnd(Ledgerline.requestTransfer(payer, payee, 1_000_000, "hash ✓"));
    // Refused at the destination: debited, credit refused, debit reversed, failed.
    ok(command(payee, "freeze", "{\"reason\":\"hash check\"}"));
    String reversed = awaitEnd(Ledgerline.requestTransfer(payer, payee, 20, "hash ✓"));
    ok(command(payee, "unfreeze", "{\"reason\":\"done\"}"));
    ok(command(closing, "close", "{\"reason\":\"hash check\"}"));
    // A card top-up: requested, its intent created, declined, then paid, and its deposit.
    String topUp = paidAfterADecline(payer);
    // An owner's profile, then its erasure.
    String owner = "hash-owner-" + UUID.randomUUID();
    ok(
        Ledgerline.put(
            config().commandUrl() + "/api/v1/owners/" + owner,
            "{\"name\":\"Zoë Hash\",\"email\":\"zoe@example.com\"}",
            Map.of()));
    ok(
        Ledgerline.delete(
            config().commandUrl() + "/api/v1/owners/" + owner + "/personal-data", Map.of()));

    EventStoreReader store =
        new EventStoreReader(
            new DriverManagerDataSource(
                config().jdbcUrl(), config().postgresUser(), config().postgresPassword()));
    TreeSet<String> types = new TreeSet<>();
    List<String> mismatches = new ArrayList<>();
    for (String aggregate :
        List.of(
            payer,
            payee,
            closing,
            completed,
            refused,
            reversed,
            topUp,
            OwnerEvent.aggregateId(owner))) {
      byte[][] previous = {null};
      store.streamAggregate(
          aggregate,
          event -> {
            byte[] expected = EventHash.of(previous[0], event);
            if (!Arrays.equals(expected, event.hash())) {
              mismatches.add(describe(event, expected));
            }
            types.add(event.typeName());
            previous[0] = event.hash();
            return true;
          });
    }

    assertThat(mismatches).as("events whose stored hash EventHash does not reproduce").isEmpty();
    assertThat(types)
        .as("event types written")
        .containsExactlyInAnyOrderElementsOf(
            EventWireFormat.eventTypes().stream().map(EventWireFormat::typeName).toList());
  }

  @Test
  void theDatabaseFunctionAgreesWithEventHashForEveryEventTypeAndEveryEmptyField()
      throws Exception {
    byte[] previous = HexFormat.of().parseHex("00ff".repeat(16));
    List<String> mismatches = new ArrayList<>();
    try (Connection db = Ledgerline.database();
        PreparedStatement hash =
            db.prepareStatement("select ledgerline_event_hash(?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Class<? extends Record> type : EventWireFormat.eventTypes()) {
        byte[] payload = Ledgerline.JSON.writeValueAsBytes(sample(type));
        String revision = EventRevisions.revisionOf(type);
        for (boolean first : new boolean[] {true, false}) {
          for (boolean sparse : new boolean[] {true, false}) {
            byte[] before = first ? null : previous;
            String aggregateType = sparse ? null : "Account";
            byte[] metadata = sparse ? null : utf8("{\"subject\":\"zoë\"}");
            String storedRevision = sparse ? null : revision == null ? "1" : revision;
            String aggregateId = "hash-é-" + type.getSimpleName();
            String timestamp = "2026-01-31T10:15:30.123456Z";
            hash.setBytes(1, before);
            hash.setString(2, aggregateId);
            hash.setLong(3, first ? 0 : 7);
            if (aggregateType == null) {
              hash.setNull(4, Types.VARCHAR);
            } else {
              hash.setString(4, aggregateType);
            }
            hash.setString(5, type.getName());
            if (storedRevision == null) {
              hash.setNull(6, Types.VARCHAR);
            } else {
              hash.setString(6, storedRevision);
            }
            hash.setString(7, timestamp);
            hash.setBytes(8, payload);
            hash.setBytes(9, metadata);
            byte[] database;
            try (ResultSet row = hash.executeQuery()) {
              row.next();
              database = row.getBytes(1);
            }
            byte[] computed =
                EventHash.of(
                    before,
                    aggregateId,
                    first ? 0 : 7,
                    aggregateType,
                    type.getName(),
                    storedRevision,
                    timestamp,
                    payload,
                    metadata);
            if (!Arrays.equals(database, computed)) {
              mismatches.add(
                  type.getSimpleName()
                      + (first ? " first" : " chained")
                      + (sparse ? " sparse" : " full")
                      + ": database "
                      + HexFormat.of().formatHex(database)
                      + ", EventHash "
                      + HexFormat.of().formatHex(computed));
            }
          }
        }
      }
    }
    assertThat(mismatches).isEmpty();
  }

  /** An instance of an event record: every text non-ASCII, every number non-zero. */
  private static Record sample(Class<? extends Record> type) throws Exception {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      values[i] = types[i] == long.class ? 4_200L + i : components[i].getName() + "-é€𝄞-" + i;
    }
    return type.getDeclaredConstructor(types).newInstance(values);
  }

  private static String describe(StoredEvent event, byte[] expected) {
    return event.aggregateId()
        + "#"
        + event.sequence()
        + " "
        + event.typeName()
        + ": stored "
        + HexFormat.of().formatHex(event.hash())
        + ", EventHash "
        + HexFormat.of().formatHex(expected);
  }

  /**
   * A top-up of {@code account} through the stack's gateway simulator, declined once and then paid
   * with its client secret; returns its id once its deposit is made.
   */
  private static String paidAfterADecline(String account) {
    String simulator = config().gatewayApiBase();
    assertThat(Ledgerline.post(simulator + "/_simulator/reset", "", Map.of()).status())
        .isEqualTo(200);
    var started =
        Ledgerline.post(
            config().commandUrl() + "/api/v1/topups",
            "{\"accountId\":\"" + account + "\",\"amount\":300}",
            Map.of());
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String topUp = started.json().get("topUpId").asText();
    String confirm =
        simulator + "/v1/payment_intents/" + started.json().get("intentId").asText() + "/confirm";
    String secret = "client_secret=" + started.json().get("clientSecret").asText();
    for (String card : List.of("pm_card_chargeDeclined", "pm_card_visa")) {
      Ledgerline.send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(confirm))
              .timeout(Duration.ofSeconds(30))
              .header("X-Test-Anonymous", "true")
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(
                  java.net.http.HttpRequest.BodyPublishers.ofString(
                      secret + "&payment_method=" + card))
              .build());
      if (card.equals("pm_card_chargeDeclined")) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    "FAILED"
                        .equals(
                            get(config().commandUrl() + "/api/v1/topups/" + topUp)
                                .json()
                                .get("status")
                                .asText()));
      }
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                get(config().commandUrl() + "/api/v1/topups/" + topUp)
                    .json()
                    .get("credited")
                    .asBoolean());
    return topUp;
  }

  /** Waits until the transfer completed or failed; returns its id. */
  private static String awaitEnd(String transferId) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              var response = get(config().commandUrl() + "/api/v1/transfers/" + transferId);
              return response.status() == 200
                  && !"REQUESTED".equals(response.json().get("status").asText());
            });
    return transferId;
  }

  private static void ok(Ledgerline.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
