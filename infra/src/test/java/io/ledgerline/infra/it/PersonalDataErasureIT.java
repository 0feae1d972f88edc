package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerline.events.EventWireFormat;
import io.ledgerline.events.OwnerEvent;
import io.ledgerline.events.PersonalFields;
import io.ledgerline.events.SealedText;
import io.ledgerline.infra.localstack.PostgresNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Guarantee: personal data (an owner's name and e-mail, the references and reasons of their
 * accounts and transfers) is never stored or published in clear, and erasing the owner makes it
 * unreadable everywhere at once: every API, the read models, the audit history and export, the live
 * feed. Erasure is an event of its own, idempotent and admin-only; it changes no stored event, no
 * balance and no total, and the hash chains still verify.
 */
@SystemTest
@Order(34)
class PersonalDataErasureIT {

  private static final String OWNERS = "/api/v1/owners/";
  private static final String CURRENCY = "DKK";
  private static final String SEALED = SealedText.PATTERN;

  @Test
  void personalDataIsSealedEverywhereAndItsErasureLeavesMoneyAndHistoryAsTheyWere()
      throws Exception {
    // Text found nowhere else: a search for it finds only what this test wrote in clear.
    String marker = "Quellenberg" + letters();
    String ownerId = "pd-owner-" + UUID.randomUUID();
    String payeeOwner = "pd-payee-" + UUID.randomUUID();
    String owner = Ledgerline.token("customer", ownerId);
    String admin = Ledgerline.token("admin", "dpo-" + UUID.randomUUID());
    String name = "Marguerite " + marker;
    String email = "marguerite." + marker.toLowerCase(Locale.ROOT) + "@example.com";
    String salary = "salary for Marguerite " + marker;
    String rent = "rent " + marker;
    String gift = "birthday gift from Marguerite " + marker;
    String callNote = "called Marguerite " + marker + " about a payment";
    List<String> clearTexts = List.of(name, email, salary, rent, gift, callNote);

    // The owner records a profile, retried with the same Idempotency-Key.
    String profile = profileJson(name, email);
    Map<String, String> keyed = Map.of("Idempotency-Key", "profile-" + ownerId);
    var recorded = call("PUT", config().commandUrl() + OWNERS + ownerId, profile, owner, keyed);
    assertThat(recorded.status()).as(recorded.body()).isEqualTo(200);
    assertThat(recorded.json().get("name").asText()).isEqualTo(name);
    assertThat(recorded.json().get("personalData").asText()).isEqualTo("PRESENT");
    var replayed = call("PUT", config().commandUrl() + OWNERS + ownerId, profile, owner, keyed);
    assertThat(replayed.status()).isEqualTo(200);
    assertThat(replayed.json()).isEqualTo(recorded.json());
    var read = call("GET", config().commandUrl() + OWNERS + ownerId, null, owner, Map.of());
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.json().get("name").asText()).isEqualTo(name);
    assertThat(read.json().get("email").asText()).isEqualTo(email);
    assertThat(call("GET", config().commandUrl() + OWNERS + ownerId, null, admin, Map.of()).json())
        .isEqualTo(read.json());

    // Money moves with references and reasons.
    String account = Ledgerline.openAccount(CURRENCY, ownerId);
    String payee = Ledgerline.openAccount(CURRENCY, payeeOwner);
    var deposited =
        call(
            "POST",
            config().commandUrl() + "/api/v1/accounts/" + account + "/deposits",
            "{\"amount\":10000,\"reference\":" + Ledgerline.JSON.valueToTree(salary) + "}",
            owner,
            Map.of());
    assertThat(deposited.status()).as(deposited.body()).isEqualTo(200);
    ok(
        command(
            account,
            "withdrawals",
            "{\"amount\":1000,\"reference\":" + Ledgerline.JSON.valueToTree(rent) + "}"));
    ok(command(account, "freeze", "{\"reason\":" + Ledgerline.JSON.valueToTree(callNote) + "}"));
    ok(command(account, "unfreeze", "{\"reason\":\"cleared\"}"));
    String transfer = awaitCompleted(Ledgerline.requestTransfer(account, payee, 2500, gift));
    String ownerAggregate = OwnerEvent.aggregateId(ownerId);
    List<String> aggregates = List.of(account, payee, transfer, ownerAggregate);

    // Every API shows them in clear.
    assertThat(commandTransfer(transfer).get("reference").asText()).isEqualTo(gift);
    AccountSliceIT.awaitProjected(account, 5);
    AccountSliceIT.awaitProjected(payee, 1);
    // A deposit, a withdrawal and the transfer's debit.
    JsonNode movements = awaitTransactions(account, 3);
    assertThat(reference(movements, 1)).isEqualTo(salary);
    assertThat(reference(movements, 2)).isEqualTo(rent);
    assertThat(queryTransfer(transfer).get("reference").asText()).isEqualTo(gift);
    JsonNode history = auditEvents(account);
    assertThat(history.get(1).get("personalData").get("reference").asText()).isEqualTo(salary);
    assertThat(history.get(3).get("personalData").get("reason").asText()).isEqualTo(callNote);
    assertThat(history.get(1).get("payload").get("reference").asText()).matches(SEALED);
    // An owner's name and e-mail are for the owner and admins: the audit says only if they exist.
    JsonNode ownerPersonalData = auditEvents(ownerAggregate).get(0).get("personalData");
    assertThat(ownerPersonalData.has("name")).isFalse();
    assertThat(ownerPersonalData.get("emailErased").asBoolean()).isFalse();
    assertThat(auditEvents(ownerAggregate).toString()).doesNotContainIgnoringCase(marker);

    // ...but nothing stores them in clear: not the event store, nor any other table...
    String keyId;
    try (Connection db = Ledgerline.database()) {
      for (String text : clearTexts) {
        assertThat(countEventsContaining(db, text)).as("stored events holding %s", text).isZero();
      }
      assertThat(countEventsContaining(db, marker)).isZero();
      for (StoredRow row : storedEvents(db, aggregates).values()) {
        for (String field : row.personalFields()) {
          JsonNode value = row.payload().path(field);
          if (!value.isNull()) {
            assertThat(value.asText()).as("%s.%s", row.type(), field).matches(SEALED);
          }
        }
      }
      assertThat(
              scalar(db, "select reference from transfer_status where transfer_id = ?", transfer))
          .matches(SEALED);
      assertThat(
              scalar(
                  db,
                  "select convert_from(result_json, 'UTF8') from idempotency_record"
                      + " where idempotency_key = ?",
                  "profile-" + ownerId))
          .doesNotContainIgnoringCase(marker);
      keyId = scalar(db, "select key_id from owner_data_key where owner_id = ?", ownerId);
      assertThat(
              scalar(
                  db, "select (key is not null)::text from owner_data_key where key_id = ?", keyId))
          .isEqualTo("true");
      assertThat(SealedText.parse(history.get(1).get("payload").get("reference").asText()).keyId())
          .isEqualTo(keyId);
    }
    // ...nor Elasticsearch...
    for (String document :
        List.of(
            "/transactions/_doc/" + account + ":1",
            "/transactions/_doc/" + account + ":2",
            "/transfers/_doc/" + transfer)) {
      var stored = get(config().elasticsearchUrl() + document);
      assertThat(stored.status()).as(document).isEqualTo(200);
      assertThat(stored.body()).doesNotContainIgnoringCase(marker);
      assertThat(stored.json().get("_source").get("reference").asText()).matches(SEALED);
    }
    // ...nor Kafka.
    assertPublishedSealed(aggregates, 11, marker);

    // The figures, the stored history and its hash chains before the erasure.
    Map<String, long[]> totalsBefore = totals();
    assertThat(totalsBefore.get("OPEN")).containsExactly(2, 9000);
    Map<Long, StoredRow> storedBefore;
    try (Connection db = Ledgerline.database()) {
      storedBefore = storedEvents(db, aggregates);
    }
    for (String aggregate : aggregates) {
      assertThat(verify(aggregate).get("valid").asBoolean()).as("verify %s", aggregate).isTrue();
    }

    // Only an admin erases: not the owner, nor an operator.
    String path = config().commandUrl() + OWNERS + ownerId + "/personal-data";
    assertThat(call("DELETE", path, null, owner, Map.of()).status()).isEqualTo(403);
    assertThat(call("DELETE", path, null, Ledgerline.token("operator", "op-pd"), Map.of()).status())
        .isEqualTo(403);
    var erased = call("DELETE", path, null, admin, Map.of());
    assertThat(erased.status()).as(erased.body()).isEqualTo(200);
    assertThat(erased.json().get("personalData").asText()).isEqualTo("ERASED");
    assertThat(erased.json().get("name").isNull()).isTrue();
    assertThat(erased.json().get("email").isNull()).isTrue();
    // The erasure is an event of its own, in the owner's hash chain, naming who erased which key.
    JsonNode ownerHistory = auditEvents(ownerAggregate);
    assertThat(ownerHistory).hasSize(2);
    JsonNode erasure = ownerHistory.get(1);
    assertThat(erasure.get("type").asText()).isEqualTo("OwnerPersonalDataErased");
    assertThat(erasure.get("payload").get("keyId").asText()).isEqualTo(keyId);
    assertThat(erasure.get("payload").get("erasedBy").asText()).startsWith("dpo-");
    // A second erasure answers the same and records nothing.
    var again = call("DELETE", path, null, admin, Map.of());
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json()).isEqualTo(erased.json());
    assertThat(auditEvents(ownerAggregate)).hasSize(2);

    // The key is gone; no stored event changed.
    try (Connection db = Ledgerline.database()) {
      assertThat(
              scalar(db, "select (key is null)::text from owner_data_key where key_id = ?", keyId))
          .isEqualTo("true");
      assertThat(
              scalar(
                  db,
                  "select (erased_at is not null)::text from owner_data_key where key_id = ?",
                  keyId))
          .isEqualTo("true");
      Map<Long, StoredRow> storedAfter = storedEvents(db, aggregates);
      assertThat(storedAfter).hasSize(storedBefore.size() + 1);
      storedBefore.forEach((position, row) -> assertThat(storedAfter.get(position)).isEqualTo(row));
      for (String text : clearTexts) {
        assertThat(countEventsContaining(db, text)).isZero();
      }
    }

    // Every API now shows the fields as erased: the profile...
    for (String reader : List.of(owner, admin)) {
      JsonNode gone =
          call("GET", config().commandUrl() + OWNERS + ownerId, null, reader, Map.of()).json();
      assertThat(gone.get("personalData").asText()).isEqualTo("ERASED");
      assertThat(gone.get("name").isNull()).isTrue();
      assertThat(gone.get("email").isNull()).isTrue();
    }
    // ...the transfer on both sides and the movements (within the key cache's 5 s)...
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode onCommandSide = commandTransfer(transfer);
              assertThat(onCommandSide.get("reference").isNull()).isTrue();
              assertThat(onCommandSide.get("referenceErased").asBoolean()).isTrue();
              JsonNode onQuerySide = queryTransfer(transfer);
              assertThat(onQuerySide.get("reference").isNull()).isTrue();
              assertThat(onQuerySide.get("referenceErased").asBoolean()).isTrue();
              JsonNode now = transactions(account);
              for (long sequence : List.of(1L, 2L)) {
                JsonNode movement = movement(now, sequence);
                assertThat(movement.get("reference").isNull()).isTrue();
                assertThat(movement.get("referenceErased").asBoolean()).isTrue();
              }
            });
    JsonNode after = transactions(account);
    assertThat(after.toString()).doesNotContainIgnoringCase(marker);
    assertThat(movement(after, 1).get("amount").asLong()).isEqualTo(10000);
    assertThat(movement(after, 2).get("balanceAfter").asLong()).isEqualTo(9000);
    // ...the live feed...
    JsonNode streamed = firstMovementStreamedFrom(movement(after, 1));
    assertThat(streamed.get("transactionId").asText()).isEqualTo(account + ":1");
    assertThat(streamed.get("reference").isNull()).isTrue();
    assertThat(streamed.get("referenceErased").asBoolean()).isTrue();
    // ...the audit history, which still shows each payload exactly as stored...
    JsonNode audited = auditEvents(account);
    assertThat(audited.toString()).doesNotContainIgnoringCase(marker);
    assertThat(audited.get(1).get("personalData").get("reference").isNull()).isTrue();
    assertThat(audited.get(1).get("personalData").get("referenceErased").asBoolean()).isTrue();
    assertThat(audited.get(3).get("personalData").get("reasonErased").asBoolean()).isTrue();
    assertThat(audited.get(1).get("payload")).isEqualTo(history.get(1).get("payload"));
    assertThat(audited.get(1).get("hash")).isEqualTo(history.get(1).get("hash"));
    JsonNode ownerAudited = auditEvents(ownerAggregate).get(0).get("personalData");
    assertThat(ownerAudited.get("nameErased").asBoolean()).isTrue();
    assertThat(ownerAudited.get("emailErased").asBoolean()).isTrue();
    // ...and its export.
    long firstPosition = storedBefore.keySet().stream().mapToLong(Long::longValue).min().orElse(1);
    var export = get(config().queryUrl() + "/api/v1/audit/export?after=" + (firstPosition - 1));
    assertThat(export.status()).isEqualTo(200);
    assertThat(export.body()).doesNotContainIgnoringCase(marker);
    boolean exportedDeposit = false;
    for (String line : export.body().split("\n")) {
      JsonNode event = Ledgerline.JSON.readTree(line);
      if (event.get("aggregateId").asText().equals(account)
          && event.get("sequence").asLong() == 1) {
        assertThat(event.get("personalData").get("referenceErased").asBoolean()).isTrue();
        assertThat(event.get("payload").get("reference").asText()).matches(SEALED);
        exportedDeposit = true;
      }
    }
    assertThat(exportedDeposit).as("the deposit in the export").isTrue();
    // Kafka carried the erasure too, and still nothing in clear.
    assertPublishedSealed(aggregates, 12, marker);

    // Balances, totals and past states are unchanged; every hash chain still verifies.
    assertThat(Ledgerline.queryAccount(account).json().get("balance").asLong()).isEqualTo(6500);
    assertThat(Ledgerline.queryAccount(payee).json().get("balance").asLong()).isEqualTo(2500);
    assertThat(totals()).usingRecursiveComparison().isEqualTo(totalsBefore);
    assertThat(
            get(config().queryUrl() + "/api/v1/audit/accounts/" + account + "/state?version=5")
                .json()
                .get("balance")
                .asLong())
        .isEqualTo(6500);
    for (String aggregate : aggregates) {
      assertThat(verify(aggregate).get("valid").asBoolean()).as("verify %s", aggregate).isTrue();
    }
    JsonNode whole = verify(null);
    assertThat(whole.get("valid").asBoolean()).as(whole.toString()).isTrue();

    // The owner takes no new personal data; money without it still moves.
    var newProfile =
        call(
            "PUT",
            config().commandUrl() + OWNERS + ownerId,
            profileJson("Marguerite", "m@example.com"),
            owner,
            Map.of());
    assertProblem(newProfile, 409, "personal-data-erased");
    assertProblem(
        command(account, "deposits", "{\"amount\":1,\"reference\":\"after erasure\"}"),
        409,
        "personal-data-erased");
    ok(command(account, "deposits", "{\"amount\":1}"));
  }

  @Test
  void aProfileIsTheOwnersOrAnAdminsAndItsInputIsChecked() {
    String ownerId = "pd-rules-" + UUID.randomUUID();
    String url = config().commandUrl() + OWNERS + ownerId;
    String owner = Ledgerline.token("customer", ownerId);
    String someoneElse = Ledgerline.token("customer", "pd-someone-else");
    String valid = profileJson("Ada Lovelace", "ada@example.com");

    assertThat(call("PUT", url, valid, someoneElse, Map.of()).status()).isEqualTo(403);
    assertThat(
            call("PUT", url, valid, Ledgerline.token("operator", ownerId + "-op"), Map.of())
                .status())
        .isEqualTo(403);
    assertProblem(call("GET", url, null, owner, Map.of()), 404, "not-found");
    for (String invalid :
        List.of(
            profileJson("", "ada@example.com"),
            profileJson("Ada\nLovelace", "ada@example.com"),
            profileJson("\u202eecalevoL adA", "ada@example.com"),
            profileJson("A".repeat(201), "ada@example.com"),
            profileJson("Ada Lovelace", "not-an-address"),
            profileJson("Ada Lovelace", "ada@example"),
            profileJson("Ada Lovelace", "a".repeat(250) + "@example.com"),
            "{\"name\":\"Ada Lovelace\"}")) {
      assertProblem(call("PUT", url, invalid, owner, Map.of()), 400, "validation");
    }
    assertProblem(
        call(
            "PUT",
            url,
            "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"phone\":\"1\"}",
            owner,
            Map.of()),
        400,
        "unknown-field");
    assertThat(call("GET", url, null, owner, Map.of()).status())
        .as("nothing recorded by refused requests")
        .isEqualTo(404);

    assertThat(call("PUT", url, valid, Ledgerline.token("admin", "pd-admin"), Map.of()).status())
        .isEqualTo(200);
    assertThat(call("GET", url, null, someoneElse, Map.of()).status()).isEqualTo(403);
    assertThat(call("GET", url, null, owner, Map.of()).json().get("name").asText())
        .isEqualTo("Ada Lovelace");
  }

  @Test
  void anOwnerWhoNeverGavePersonalDataCanBeErasedOnceAndForAll() {
    String ownerId = "pd-unknown-" + UUID.randomUUID();
    String admin = Ledgerline.token("admin", "pd-admin");
    String path = config().commandUrl() + OWNERS + ownerId + "/personal-data";

    var first = call("DELETE", path, null, admin, Map.of());
    var second = call("DELETE", path, null, admin, Map.of());

    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(second.json()).isEqualTo(first.json());
    JsonNode history = auditEvents(OwnerEvent.aggregateId(ownerId));
    assertThat(history)
        .extracting(e -> e.get("type").asText())
        .containsExactly("OwnerPersonalDataErased");
    assertProblem(
        call(
            "PUT",
            config().commandUrl() + OWNERS + ownerId,
            profileJson("Late Comer", "late@example.com"),
            Ledgerline.token("customer", ownerId),
            Map.of()),
        409,
        "personal-data-erased");
  }

  @Test
  void theQuerySideOnlyReadsKeysAndAnErasedKeyNeverComesBack() throws Exception {
    String ownerId = "pd-keys-" + UUID.randomUUID();
    String admin = Ledgerline.token("admin", "pd-admin");
    assertThat(
            call(
                    "PUT",
                    config().commandUrl() + OWNERS + ownerId,
                    profileJson("Key Holder", "keys@example.com"),
                    admin,
                    Map.of())
                .status())
        .isEqualTo(200);
    try (Connection audit =
            DriverManager.getConnection(
                config().jdbcUrl(), PostgresNode.AUDIT_ROLE, config().auditPassword());
        Statement statement = audit.createStatement()) {
      try (ResultSet rows = statement.executeQuery("select count(*) from owner_data_key")) {
        assertThat(rows.next()).isTrue();
      }
      assertDenied(statement, "update owner_data_key set key = null");
      assertDenied(statement, "delete from owner_data_key");
    }
    assertThat(
            call(
                    "DELETE",
                    config().commandUrl() + OWNERS + ownerId + "/personal-data",
                    null,
                    admin,
                    Map.of())
                .status())
        .isEqualTo(200);
    try (Connection app =
            DriverManager.getConnection(
                config().jdbcUrl(), PostgresNode.APP_ROLE, config().appPassword());
        PreparedStatement restore =
            app.prepareStatement(
                "update owner_data_key set key = '\\x00'::bytea, erased_at = null"
                    + " where owner_id = ?")) {
      restore.setString(1, ownerId);
      assertThatThrownBy(restore::executeUpdate)
          .as("the command side's role giving an erased owner a key again")
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("erased");
      try (Statement statement = app.createStatement()) {
        assertDenied(statement, "delete from owner_data_key");
      }
    }
  }

  // The owner's profile as JSON.
  private static String profileJson(String name, String email) {
    return Ledgerline.JSON.createObjectNode().put("name", name).put("email", email).toString();
  }

  private static Ledgerline.Response call(
      String method, String url, String json, String token, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    return Ledgerline.send(request.build());
  }

  private static void ok(Ledgerline.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
  }

  private static void assertProblem(Ledgerline.Response response, int status, String kind) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().get("type").asText()).isEqualTo("urn:ledgerline:problem:" + kind);
  }

  private static String awaitCompleted(String transferId) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> "COMPLETED".equals(commandTransfer(transferId).path("status").asText()));
    return transferId;
  }

  private static JsonNode commandTransfer(String transferId) {
    return get(config().commandUrl() + "/api/v1/transfers/" + transferId).json();
  }

  private static JsonNode queryTransfer(String transferId) {
    JsonNode[] transfer = {null};
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              var response = get(config().queryUrl() + "/api/v1/transfers/" + transferId);
              assertThat(response.status()).isEqualTo(200);
              assertThat(response.json().get("status").asText()).isEqualTo("COMPLETED");
              transfer[0] = response.json();
            });
    return transfer[0];
  }

  private static JsonNode transactions(String account) {
    return get(config().queryUrl()
            + "/api/v1/accounts/"
            + account
            + "/transactions?order=asc&size=100")
        .json()
        .get("items");
  }

  private static JsonNode awaitTransactions(String account, int count) {
    JsonNode[] items = {null};
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              items[0] = transactions(account);
              assertThat(items[0]).hasSize(count);
            });
    return items[0];
  }

  private static JsonNode movement(JsonNode movements, long sequence) {
    for (JsonNode movement : movements) {
      if (movement.get("sequence").asLong() == sequence) {
        return movement;
      }
    }
    throw new AssertionError("no movement " + sequence + " in " + movements);
  }

  private static String reference(JsonNode movements, long sequence) {
    return movement(movements, sequence).get("reference").asText();
  }

  private static JsonNode auditEvents(String aggregateId) {
    return get(config().queryUrl()
            + "/api/v1/audit/aggregates/"
            + URLEncoder.encode(aggregateId, StandardCharsets.UTF_8)
            + "/events")
        .json()
        .get("items");
  }

  private static JsonNode verify(String aggregateId) {
    return Ledgerline.post(
            config().queryUrl() + "/api/v1/audit/verify",
            aggregateId == null
                ? "{}"
                : Ledgerline.JSON.createObjectNode().put("aggregateId", aggregateId).toString(),
            Map.of())
        .json();
  }

  /** This test's currency's totals by status: accounts and balance. */
  private static Map<String, long[]> totals() {
    Map<String, long[]> totals = new HashMap<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              totals.clear();
              for (JsonNode total : get(config().queryUrl() + "/api/v1/dashboard/totals").json()) {
                if (total.get("currency").asText().equals(CURRENCY)) {
                  totals.put(
                      total.get("status").asText(),
                      new long[] {total.get("accounts").asLong(), total.get("balance").asLong()});
                }
              }
              assertThat(totals).containsKey("OPEN");
            });
    return totals;
  }

  /**
   * The first movement the live feed streams after the one before {@code movement}: the feed is
   * positioned just before its global position.
   */
  private static JsonNode firstMovementStreamedFrom(JsonNode movement) throws Exception {
    String position = Long.toString(movement.get("globalPosition").asLong() - 1);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(config().queryUrl() + "/api/v1/feed"))
            .header("Accept", "text/event-stream")
            .header("Authorization", "Bearer " + Ledgerline.tokenFor("/api/v1/feed"))
            .header("Last-Event-ID", position)
            .build();
    HttpResponse<Stream<String>> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    try (Stream<String> lines = response.body()) {
      String data =
          CompletableFuture.supplyAsync(
                  () -> lines.filter(line -> line.startsWith("data:")).findFirst().orElseThrow())
              .get(30, TimeUnit.SECONDS);
      return Ledgerline.JSON.readTree(data.substring("data:".length()));
    }
  }

  /**
   * Reads the topic until every event of the aggregates (as many as {@code expected}) was seen, and
   * checks that no record of theirs, value or header, holds the clear text, and that every personal
   * field of theirs is sealed.
   */
  private static void assertPublishedSealed(List<String> aggregates, int expected, String marker) {
    Set<String> seen = new HashSet<>();
    List<String> problems = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = Ledgerline.kafkaConsumer()) {
      consumer.subscribe(List.of(EventWireFormat.EVENTS_TOPIC));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  if (!aggregates.contains(record.key())) {
                    continue;
                  }
                  String value = new String(record.value(), StandardCharsets.UTF_8);
                  String type = header(record, "ll-event-type");
                  seen.add(record.key() + "#" + header(record, "ll-sequence"));
                  if (value.toLowerCase(Locale.ROOT).contains(marker.toLowerCase(Locale.ROOT))) {
                    problems.add("value of " + type + " " + record.key());
                  }
                  for (Header header : record.headers()) {
                    String text = new String(header.value(), StandardCharsets.UTF_8);
                    if (text.toLowerCase(Locale.ROOT).contains(marker.toLowerCase(Locale.ROOT))) {
                      problems.add("header " + header.key() + " of " + type);
                    }
                  }
                  JsonNode payload = Ledgerline.JSON.readTree(value);
                  for (String field : personalFields(type)) {
                    JsonNode sealed = payload.path(field);
                    if (!sealed.isNull() && !sealed.asText().matches(SEALED)) {
                      problems.add(type + "." + field + " is not sealed: " + sealed);
                    }
                  }
                }
                return seen.size() >= expected;
              });
    }
    assertThat(seen).hasSize(expected);
    assertThat(problems).as("published records holding personal data in clear").isEmpty();
  }

  private static List<String> personalFields(String type) {
    return EventWireFormat.typeFor(type).map(PersonalFields::of).orElse(List.of());
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  /** One stored event: its type, payload, and the hash of its bytes and metadata. */
  private record StoredRow(String type, JsonNode payload, String payloadHex, String hash) {
    List<String> personalFields() {
      return PersonalDataErasureIT.personalFields(type);
    }
  }

  private static Map<Long, StoredRow> storedEvents(Connection db, List<String> aggregates)
      throws Exception {
    Map<Long, StoredRow> rows = new LinkedHashMap<>();
    try (PreparedStatement query =
        db.prepareStatement(
            "select global_index, payload_type, payload, hash from domain_event_entry"
                + " where aggregate_identifier = any (?) order by global_index")) {
      query.setArray(1, db.createArrayOf("varchar", aggregates.toArray()));
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          String type = row.getString("payload_type");
          rows.put(
              row.getLong("global_index"),
              new StoredRow(
                  type.substring(type.lastIndexOf('.') + 1),
                  Ledgerline.JSON.readTree(row.getBytes("payload")),
                  HexFormat.of().formatHex(row.getBytes("payload")),
                  HexFormat.of().formatHex(row.getBytes("hash"))));
        }
      }
    }
    return rows;
  }

  /** How many stored events hold {@code text} in their payload or metadata, in any case. */
  private static long countEventsContaining(Connection db, String text) throws SQLException {
    try (PreparedStatement query =
        db.prepareStatement(
            "select count(*) from domain_event_entry"
                + " where strpos(lower(convert_from(payload, 'UTF8')), lower(?)) > 0"
                + " or strpos(lower(convert_from(coalesce(meta_data, ''::bytea), 'UTF8')),"
                + " lower(?)) > 0")) {
      query.setString(1, text);
      query.setString(2, text);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private static String scalar(Connection db, String sql, String parameter) throws SQLException {
    try (PreparedStatement query = db.prepareStatement(sql)) {
      query.setString(1, parameter);
      try (ResultSet row = query.executeQuery()) {
        assertThat(row.next()).as(sql).isTrue();
        return row.getString(1);
      }
    }
  }

  private static void assertDenied(Statement statement, String sql) {
    assertThatThrownBy(() -> statement.execute(sql))
        .as(sql)
        .isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("42501");
  }

  private static String letters() {
    StringBuilder letters = new StringBuilder();
    for (char c : UUID.randomUUID().toString().replace("-", "").substring(0, 10).toCharArray()) {
      letters.append((char) ('a' + Character.digit(c, 16)));
    }
    return letters.toString();
  }
}
