package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ledgerline.infra.localstack.DevTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Authentication and authorisation on both services, with real tokens of the stack's issuer. */
@SystemTest
@Order(50)
class SecurityIT {

  private static final List<String> ROLES = List.of("customer", "operator", "auditor", "admin");

  @Test
  void badTokensAreRejectedWith401Problems() throws Exception {
    DevTokens tokens = new DevTokens(config());
    long now = Instant.now().getEpochSecond();
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String good = claims("ledgerline-local", "ledgerline", now - 10, now + 600);
    String valid = tokens.sign(header, good);
    String[] parts = valid.split("\\.");
    Map<String, String> bad =
        Map.of(
            "tampered",
            parts[0] + "." + DevTokens.base64(good.replace("operator", "admin")) + "." + parts[2],
            "expired",
            tokens.sign(header, claims("ledgerline-local", "ledgerline", now - 7200, now - 3600)),
            "not yet valid",
            tokens.sign(header, claims("ledgerline-local", "ledgerline", now + 3600, now + 7200)),
            "wrong issuer",
            tokens.sign(header, claims("someone-else", "ledgerline", now - 10, now + 600)),
            "wrong audience",
            tokens.sign(header, claims("ledgerline-local", "other-service", now - 10, now + 600)),
            "alg none",
            DevTokens.base64("{\"alg\":\"none\",\"typ\":\"JWT\"}")
                + "."
                + DevTokens.base64(good)
                + ".",
            "HS256 with the public key",
            hmacSigned(good, java.nio.file.Files.readAllBytes(tokens.publicKey())),
            "garbage",
            "not-a-jwt");
    for (String baseUrl : List.of(config().commandUrl(), config().queryUrl())) {
      assertThat(call(baseUrl + "/api/v1/transfers/x", "GET", null, valid).status())
          .as("the valid control token")
          .isNotIn(401, 403);
      for (var entry : bad.entrySet()) {
        var response = call(baseUrl + "/api/v1/transfers/x", "GET", null, entry.getValue());
        assertThat(response.status()).as(entry.getKey() + " at " + baseUrl).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText())
            .isEqualTo("urn:ledgerline:problem:unauthorized");
      }
      var none = call(baseUrl + "/api/v1/transfers/x", "GET", null, null);
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
    }
  }

  @Test
  void everyEndpointRoleAndOwnershipCellIsEnforced() throws Exception {
    List<String> failures = new ArrayList<>();
    for (String role : ROLES) {
      String caller = token(role, "alice");
      // One fixture per role: cells that change state come late and keep others' answers stable.
      Fixture fixture = Fixture.create();
      for (boolean own : List.of(true, false)) {
        for (Cell cell : cells()) {
          String account = own ? fixture.alices : fixture.bobs;
          String transfer = own ? fixture.alicesTransfer : fixture.bobsTransfer;
          String url = cell.url(account, transfer, own);
          var response = call(url, cell.method(), cell.body(account, fixture, own), caller);
          boolean allowed = cell.allows(role, own);
          boolean denied = response.status() == 403;
          if (allowed == denied || response.status() == 401 || response.status() >= 500) {
            failures.add(
                role
                    + (own ? " own " : " other's ")
                    + cell.name()
                    + " -> "
                    + response.status()
                    + " "
                    + response.body());
          }
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void theAuthenticatedSubjectIsRecordedInTheEvents() {
    String customer = token("customer", "carol");
    var opened =
        call(
            config().commandUrl() + "/api/v1/accounts", "POST", "{\"currency\":\"EUR\"}", customer);
    assertThat(opened.status()).isEqualTo(201);
    String account = opened.json().get("accountId").asText();
    assertThat(opened.json().get("ownerId").asText()).isEqualTo("carol");
    call(
        config().commandUrl() + "/api/v1/accounts/" + account + "/deposits",
        "POST",
        "{\"amount\":5}",
        customer);
    var events =
        Ledgerline.get(config().queryUrl() + "/api/v1/audit/aggregates/" + account + "/events")
            .json()
            .get("items");
    events.forEach(
        event -> assertThat(event.get("metadata").get("subject").asText()).isEqualTo("carol"));
  }

  @Test
  void responsesCarrySecurityHeadersAndCorsIsClosedByDefault() {
    var response =
        Ledgerline.send(
            HttpRequest.newBuilder(URI.create(config().queryUrl() + "/api/v1/dashboard/totals"))
                .header("Origin", "https://evil.example")
                .GET()
                .build());
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Access-Control-Allow-Origin"))
        .as("no origin is allowed by default")
        .isNull();
    var ok = Ledgerline.get(config().queryUrl() + "/api/v1/dashboard/totals");
    assertThat(ok.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(ok.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(ok.header("Content-Security-Policy")).contains("default-src 'none'");
  }

  @Test
  void theDevelopmentIssuerCannotBeTrustedInTheProductionProfile() throws Exception {
    try (ServiceProcess production =
        ServiceProcess.start(
            "command-side",
            28184,
            Map.of(
                "SPRING_PROFILES_ACTIVE", "production",
                "SPRING_DATASOURCE_URL", config().jdbcUrl(),
                "SPRING_DATASOURCE_USERNAME", config().postgresUser(),
                "SPRING_DATASOURCE_PASSWORD", config().postgresPassword(),
                "SPRING_KAFKA_BOOTSTRAP_SERVERS", config().kafkaBootstrap()))) {
      await().atMost(Duration.ofMinutes(2)).until(() -> !production.isAlive());
      assertThat(java.nio.file.Files.readString(production.log()))
          .contains("development token issuer cannot be trusted in the production profile");
    }
  }

  /** One endpoint of the matrix and who may call it. */
  private record Cell(
      String name,
      String method,
      String path,
      String json,
      Set<String> ownRoles,
      Set<String> otherRoles) {
    String url(String account, String transfer, boolean own) {
      return path.replace("{account}", account)
          .replace("{transfer}", transfer)
          .replace("{owner}", own ? "alice" : "bob");
    }

    String body(String account, Fixture fixture, boolean own) {
      return json == null
          ? null
          : json.replace("{account}", account)
              .replace("{peer}", fixture.peer)
              .replace("{owner}", own ? "alice" : "bob");
    }

    boolean allows(String role, boolean own) {
      return (own ? ownRoles : otherRoles).contains(role);
    }
  }

  private static List<Cell> cells() {
    String c = config().commandUrl() + "/api/v1";
    String q = config().queryUrl() + "/api/v1";
    Set<String> customerAndOperator = Set.of("customer", "operator");
    Set<String> operator = Set.of("operator");
    Set<String> readers = Set.of("customer", "operator", "auditor");
    Set<String> staffReaders = Set.of("operator", "auditor");
    return List.of(
        new Cell(
            "open account",
            "POST",
            c + "/accounts",
            "{\"currency\":\"EUR\",\"ownerId\":\"{owner}\"}",
            customerAndOperator,
            operator),
        new Cell(
            "deposit",
            "POST",
            c + "/accounts/{account}/deposits",
            "{\"amount\":1}",
            customerAndOperator,
            operator),
        new Cell(
            "withdraw",
            "POST",
            c + "/accounts/{account}/withdrawals",
            "{\"amount\":1}",
            customerAndOperator,
            operator),
        new Cell(
            "transfer",
            "POST",
            c + "/transfers",
            "{\"fromAccountId\":\"{account}\",\"toAccountId\":\"{peer}\",\"amount\":1}",
            customerAndOperator,
            operator),
        new Cell(
            "transfer status (command)",
            "GET",
            c + "/transfers/{transfer}",
            null,
            readers,
            staffReaders),
        new Cell("account", "GET", q + "/accounts/{account}", null, readers, staffReaders),
        new Cell(
            "transactions",
            "GET",
            q + "/accounts/{account}/transactions",
            null,
            readers,
            staffReaders),
        new Cell("transfer", "GET", q + "/transfers/{transfer}", null, readers, staffReaders),
        new Cell(
            "transfers of an account",
            "GET",
            q + "/transfers?accountId={account}",
            null,
            readers,
            staffReaders),
        new Cell(
            "account search", "GET", q + "/accounts?ownerId={owner}", null, readers, staffReaders),
        new Cell(
            "dashboard totals", "GET", q + "/dashboard/totals", null, staffReaders, staffReaders),
        new Cell(
            "dashboard volume",
            "GET",
            q + "/dashboard/volume?currency=EUR",
            null,
            staffReaders,
            staffReaders),
        new Cell(
            "dashboard top accounts",
            "GET",
            q + "/dashboard/top-accounts?currency=EUR",
            null,
            staffReaders,
            staffReaders),
        new Cell("live feed", "FEED", q + "/feed", null, staffReaders, staffReaders),
        new Cell(
            "rebuild",
            "POST",
            q + "/admin/rebuilds",
            "{\"projection\":\"no-such-projection\"}",
            Set.of("admin"),
            Set.of("admin")),
        new Cell(
            "rebuild progress",
            "GET",
            q + "/admin/rebuilds/no-such-rebuild",
            null,
            Set.of("admin"),
            Set.of("admin")),
        new Cell(
            "dead letter retry",
            "POST",
            q + "/admin/dead-letters/retry",
            null,
            Set.of("admin"),
            Set.of("admin")),
        new Cell(
            "audit feed",
            "GET",
            q + "/audit/events?limit=1",
            null,
            Set.of("auditor"),
            Set.of("auditor")),
        new Cell(
            "audit export",
            "GET",
            q + "/audit/export?after=999999999",
            null,
            Set.of("auditor"),
            Set.of("auditor")),
        new Cell(
            "audit transfer state",
            "GET",
            q + "/audit/transfers/{transfer}/state?version=0",
            null,
            Set.of("auditor"),
            Set.of("auditor")),
        new Cell(
            "projections",
            "GET",
            q + "/projections",
            null,
            Set.of("operator", "auditor", "admin"),
            Set.of("operator", "auditor", "admin")),
        new Cell(
            "reconciliation",
            "POST",
            q + "/admin/reconciliation",
            null,
            Set.of("admin"),
            Set.of("admin")),
        new Cell(
            "dead letters",
            "GET",
            q + "/admin/dead-letters",
            null,
            Set.of("admin"),
            Set.of("admin")),
        new Cell(
            "audit stream",
            "GET",
            q + "/audit/aggregates/{account}/events",
            null,
            Set.of("auditor"),
            Set.of("auditor")),
        new Cell(
            "audit state",
            "GET",
            q + "/audit/accounts/{account}/state?version=0",
            null,
            Set.of("auditor"),
            Set.of("auditor")),
        new Cell(
            "audit verify",
            "POST",
            q + "/audit/verify",
            "{\"aggregateId\":\"{account}\"}",
            Set.of("auditor"),
            Set.of("auditor")),
        new Cell("freeze", "POST", c + "/accounts/{account}/freeze", null, operator, operator),
        new Cell("unfreeze", "POST", c + "/accounts/{account}/unfreeze", null, operator, operator),
        new Cell("close", "POST", c + "/accounts/{account}/close", null, operator, operator));
  }

  /** Alice's and Bob's funded accounts, a peer account, and a transfer of each. */
  private static final class Fixture {
    String alices;
    String bobs;
    String peer;
    String alicesTransfer;
    String bobsTransfer;

    static Fixture create() {
      Fixture fixture = new Fixture();
      fixture.alices = Ledgerline.openAccount("EUR", "alice");
      fixture.bobs = Ledgerline.openAccount("EUR", "bob");
      fixture.peer = Ledgerline.openAccount("EUR", "peer");
      Ledgerline.command(fixture.alices, "deposits", "{\"amount\":100}");
      Ledgerline.command(fixture.bobs, "deposits", "{\"amount\":100}");
      fixture.alicesTransfer = transfer(fixture.alices, fixture.peer);
      fixture.bobsTransfer = transfer(fixture.bobs, fixture.peer);
      // Opened, deposited, debited by the transfer.
      AccountSliceIT.awaitProjected(fixture.alices, 2);
      AccountSliceIT.awaitProjected(fixture.bobs, 2);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Ledgerline.get(config().queryUrl() + "/api/v1/transfers/" + fixture.bobsTransfer)
                              .status()
                          == 200
                      && Ledgerline.get(
                                  config().queryUrl()
                                      + "/api/v1/transfers/"
                                      + fixture.alicesTransfer)
                              .status()
                          == 200);
      return fixture;
    }

    private static String transfer(String from, String to) {
      return Ledgerline.post(
              config().commandUrl() + "/api/v1/transfers",
              "{\"fromAccountId\":\"" + from + "\",\"toAccountId\":\"" + to + "\",\"amount\":1}",
              Map.of())
          .json()
          .get("transferId")
          .asText();
    }
  }

  private static Ledgerline.Response call(String url, String method, String json, String token) {
    String body = json;
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    } else {
      request.header("X-Test-Anonymous", "true");
    }
    if (method.equals("FEED")) {
      // A stream: only the status matters, read as soon as the headers arrive.
      try {
        var streamed =
            HttpClient.newHttpClient()
                .send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        streamed.body().close();
        return new Ledgerline.Response(
            streamed.statusCode(),
            streamed.headers(),
            streamed.statusCode() == 200 ? "" : "denied");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    if (method.equals("POST")) {
      request
          .header("Content-Type", "application/json")
          .POST(
              body == null
                  ? HttpRequest.BodyPublishers.noBody()
                  : HttpRequest.BodyPublishers.ofString(body));
    } else {
      request.GET();
    }
    return Ledgerline.send(request.build());
  }

  private static String claims(String issuer, String audience, long notBefore, long expires) {
    return "{\"iss\":\""
        + issuer
        + "\",\"aud\":\""
        + audience
        + "\",\"sub\":\"mallory\",\"roles\":[\"operator\"],"
        + "\"nbf\":"
        + notBefore
        + ",\"iat\":"
        + notBefore
        + ",\"exp\":"
        + expires
        + "}";
  }

  private static String hmacSigned(String claims, byte[] key) throws Exception {
    String input =
        DevTokens.base64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + DevTokens.base64(claims);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return input
        + "."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }
}
