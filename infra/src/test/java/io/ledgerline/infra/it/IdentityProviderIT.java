package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerline.infra.localstack.DevTokens;
import io.ledgerline.infra.localstack.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The local stack's OpenID Connect provider with both services: its tokens (client credentials, and
 * authorization code with PKCE through its sign-in form, driven here over plain HTTP) are accepted
 * end to end beside the launcher's development tokens; a foreign issuer's token is refused; its
 * signing key rotates without a restart of the services; a disabled user's tokens are refused
 * within the stated bound, and so is their refresh token. The dashboard's sign-in in a browser is
 * not covered here.
 */
@SystemTest
@Order(52)
class IdentityProviderIT {

  /** README, Signing in: a revocation takes effect within 15 s; the rest is this test's slack. */
  private static final Duration REVOCATION_BOUND = Duration.ofSeconds(15);

  private static final Duration SLACK = Duration.ofSeconds(5);

  private static final String DASHBOARD = "ledgerline-dashboard";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void discoveryNamesTheProviderAsIssuerWithItsKeysAndEndpoints() {
    JsonNode metadata = json(get(provider() + "/.well-known/openid-configuration", null), 200);

    assertThat(metadata.get("issuer").asText()).isEqualTo(provider());
    assertThat(metadata.get("jwks_uri").asText()).isEqualTo(provider() + "/oauth2/jwks");
    assertThat(metadata.get("end_session_endpoint").asText())
        .isEqualTo(provider() + "/connect/logout");
  }

  @Test
  void aMachineClientsTokenOpensDepositsAndReadsEndToEnd() {
    String token = clientCredentials("ledgerline-machine", "machine-local-secret");

    String account = openAccount(token, "{\"currency\":\"EUR\",\"ownerId\":\"idp-carol\"}", 201);
    assertThat(deposit(token, account, 1250).status()).isEqualTo(200);

    JsonNode read = awaitOnQuerySide(token, account, 1);
    assertThat(read.get("balance").asLong()).isEqualTo(1250);
    assertThat(read.get("ownerId").asText()).isEqualTo("idp-carol");
  }

  @Test
  void aUserSignedInWithAuthorizationCodeAndPkceActsAsThemselvesBesideDevelopmentTokens() {
    JsonNode tokens = new Browser().signIn("alice", "alice-local");
    String alice = tokens.get("access_token").asText();
    assertThat(claims(alice).get("roles").toString()).isEqualTo("[\"customer\"]");

    Ledgerline.Response opened =
        call(config().commandUrl() + "/api/v1/accounts", "{\"currency\":\"EUR\"}", alice);
    assertThat(opened.status()).as(opened.body()).isEqualTo(201);
    assertThat(opened.json().get("ownerId").asText()).isEqualTo("alice");
    String account = opened.json().get("accountId").asText();
    assertThat(deposit(alice, account, 700).status()).isEqualTo(200);
    assertThat(awaitOnQuerySide(alice, account, 1).get("balance").asLong()).isEqualTo(700);

    // Someone else's account stays closed to a customer, whoever issued the token.
    String others =
        openAccount(
            Ledgerline.token("operator", "someone"),
            "{\"currency\":\"EUR\",\"ownerId\":\"idp-dave\"}",
            201);
    assertThat(deposit(alice, others, 1).status()).isEqualTo(403);
    // The launcher's development tokens keep working on the same services.
    assertThat(deposit(Ledgerline.token("customer", "alice"), account, 1).status()).isEqualTo(200);
  }

  @Test
  void aTokenOfAForeignIssuerIsRefusedAndSoIsOneOnAKeyTheProviderNeverPublished() throws Exception {
    KeyPair stranger = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    Map<String, String> forged =
        Map.of(
            "a foreign issuer", forge(stranger, "https://login.example.com", "mallory"),
            "the provider's name, a foreign key", forge(stranger, provider(), "mallory"));

    for (String service : List.of(config().commandUrl(), config().queryUrl())) {
      for (var token : forged.entrySet()) {
        Ledgerline.Response response =
            call(service + "/api/v1/transfers/x", null, token.getValue());
        assertThat(response.status()).as(token.getKey() + " at " + service).isEqualTo(401);
        assertThat(response.json().get("type").asText())
            .isEqualTo("urn:ledgerline:problem:unauthorized");
      }
    }
  }

  @Test
  void theSigningKeyRotatesWithoutARestartOfTheServices() {
    String admin = clientCredentials("ledgerline-admin", "admin-local-secret");
    String before = clientCredentials("ledgerline-machine", "machine-local-secret");
    String account = openAccount(before, "{\"currency\":\"EUR\",\"ownerId\":\"idp-erin\"}", 201);
    LocalStack stack = LocalStackExtension.RunningStack.stack();
    Map<String, Integer> restarts = restarts(stack);

    JsonNode rotated = json(post(provider() + "/admin/keys/rotate", "", admin), 200);
    String after = clientCredentials("ledgerline-machine", "machine-local-secret");

    String newKey = rotated.get("signingKeyId").asText();
    assertThat(header(after).get("kid").asText()).isEqualTo(newKey);
    assertThat(header(before).get("kid").asText()).isNotEqualTo(newKey);
    assertThat(rotated.get("publishedKeyIds").toString())
        .contains(header(before).get("kid").asText());
    long version = 0;
    for (String token : List.of(after, before)) {
      assertThat(deposit(token, account, 10).status()).isEqualTo(200);
      // The query side reads with the same token once it has projected this deposit.
      assertThat(awaitOnQuerySide(token, account, ++version).get("balance").asLong())
          .isEqualTo(10 * version);
    }
    assertThat(restarts(stack)).as("no service was restarted").isEqualTo(restarts);
  }

  @Test
  void aDisabledUsersTokensAreRefusedWithinTheBoundAndTheirRefreshTokenToo() {
    Browser browser = new Browser();
    JsonNode tokens = browser.signIn("bob", "bob-local");
    String bob = tokens.get("access_token").asText();
    String account = openAccount(bob, "{\"currency\":\"EUR\"}", 201);
    String admin = clientCredentials("ledgerline-admin", "admin-local-secret");
    try {
      Instant disabling = Instant.now();
      JsonNode disabled = json(post(provider() + "/admin/users/bob/disable", "", admin), 200);
      assertThat(disabled.get("authorizationsRemoved").asInt()).isGreaterThanOrEqualTo(1);

      await()
          .atMost(REVOCATION_BOUND.plus(SLACK))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(
              () -> {
                assertThat(deposit(bob, account, 1).status()).isEqualTo(401);
                assertThat(
                        call(config().queryUrl() + "/api/v1/accounts/" + account, null, bob)
                            .status())
                    .isEqualTo(401);
              });
      Duration took = Duration.between(disabling, Instant.now());
      assertThat(took)
          .as("refused within the stated bound")
          .isLessThan(REVOCATION_BOUND.plus(SLACK));

      HttpResponse<String> refresh = refresh(tokens.get("refresh_token").asText());
      assertThat(refresh.statusCode()).isEqualTo(400);
      assertThat(refresh.body()).contains("invalid_grant");
      assertThat(new Browser().login("bob", "bob-local"))
          .as("a disabled user cannot sign in")
          .endsWith("/login?error");
      // A development token for the same subject is another issuer's: the provider cannot revoke
      // it.
      assertThat(deposit(Ledgerline.token("customer", "bob"), account, 1).status()).isEqualTo(200);
    } finally {
      json(post(provider() + "/admin/users/bob/enable", "", admin), 200);
    }
    String again = new Browser().signIn("bob", "bob-local").get("access_token").asText();
    assertThat(deposit(again, account, 1).status())
        .as("signed in again after enabling")
        .isEqualTo(200);
  }

  @Test
  void theDashboardsRefreshTokenRotatesAndLogoutEndsTheSignInSession() {
    Browser browser = new Browser();
    JsonNode tokens = browser.signIn("olivia", "olivia-local");
    String refreshToken = tokens.get("refresh_token").asText();

    HttpResponse<String> refreshed = refresh(refreshToken);
    assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
    JsonNode next = json(refreshed, 200);
    assertThat(next.get("refresh_token").asText()).isNotEqualTo(refreshToken);
    assertThat(refresh(refreshToken).statusCode())
        .as("a used refresh token is spent")
        .isEqualTo(400);
    String account =
        openAccount(
            next.get("access_token").asText(),
            "{\"currency\":\"EUR\",\"ownerId\":\"idp-fay\"}",
            201);
    assertThat(account).isNotBlank();

    // A refresh issues a new ID token and the provider knows the session by the latest one.
    String idToken = (next.hasNonNull("id_token") ? next : tokens).get("id_token").asText();
    String postLogout = config().queryUrl() + "/";
    HttpResponse<String> logout =
        browser.get(
            provider()
                + "/connect/logout?"
                + form(
                    Map.of(
                        "id_token_hint", idToken,
                        "post_logout_redirect_uri", postLogout,
                        "client_id", DASHBOARD)));
    assertThat(logout.statusCode()).isEqualTo(302);
    assertThat(logout.headers().firstValue("Location")).contains(postLogout);
    assertThat(
            browser
                .startAuthorization(Pkce.create())
                .headers()
                .firstValue("Location")
                .orElseThrow())
        .as("signed out: the next authorization asks for the password again")
        .endsWith("/login");
  }

  // --- the provider, as a browser, a client and an admin use it

  private static String provider() {
    return config().identityUrl();
  }

  private static String callback() {
    return config().queryUrl() + "/auth/callback";
  }

  /** A browser on the dashboard's behalf: cookies kept, redirects looked at one by one. */
  private static final class Browser {
    private final HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** Authorization code with PKCE: authorize, sign in, the code, then the token exchange. */
    JsonNode signIn(String username, String password) {
      Pkce pkce = Pkce.create();
      HttpResponse<String> first = startAuthorization(pkce);
      assertThat(first.statusCode()).isEqualTo(302);
      assertThat(location(first)).endsWith("/login");
      String afterLogin = login(username, password);
      HttpResponse<String> granted = get(afterLogin);
      assertThat(granted.statusCode()).as(granted.body()).isEqualTo(302);
      URI redirect = URI.create(location(granted));
      assertThat(redirect.toString()).startsWith(callback());
      Map<String, String> query = query(redirect);
      assertThat(query.get("state")).isEqualTo(pkce.state());
      HttpResponse<String> exchanged =
          send(
              HttpRequest.newBuilder(URI.create(provider() + "/oauth2/token"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          form(
                              Map.of(
                                  "grant_type", "authorization_code",
                                  "code", query.get("code"),
                                  "redirect_uri", callback(),
                                  "client_id", DASHBOARD,
                                  "code_verifier", pkce.verifier()))))
                  .build());
      return json(exchanged, 200);
    }

    HttpResponse<String> startAuthorization(Pkce pkce) {
      Map<String, String> parameters = new LinkedHashMap<>();
      parameters.put("response_type", "code");
      parameters.put("client_id", DASHBOARD);
      parameters.put("redirect_uri", callback());
      parameters.put("scope", "openid profile");
      parameters.put("state", pkce.state());
      parameters.put("code_challenge", pkce.challenge());
      parameters.put("code_challenge_method", "S256");
      return send(
          HttpRequest.newBuilder(URI.create(provider() + "/oauth2/authorize?" + form(parameters)))
              .header("Accept", "text/html")
              .GET()
              .build());
    }

    /** The sign-in form, posted with its CSRF token; returns where the provider sends us next. */
    String login(String username, String password) {
      HttpResponse<String> page = get(provider() + "/login");
      assertThat(page.statusCode()).isEqualTo(200);
      Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
      assertThat(csrf.find()).as("the sign-in form's CSRF token").isTrue();
      HttpResponse<String> posted =
          send(
              HttpRequest.newBuilder(URI.create(provider() + "/login"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          form(
                              Map.of(
                                  "username", username,
                                  "password", password,
                                  "_csrf", csrf.group(1)))))
                  .build());
      assertThat(posted.statusCode()).isEqualTo(302);
      return location(posted);
    }

    HttpResponse<String> get(String url) {
      return send(
          HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private static String location(HttpResponse<String> response) {
      String location = response.headers().firstValue("Location").orElseThrow();
      return response.uri().resolve(location).toString();
    }
  }

  /** A PKCE verifier, its S256 challenge and a state. */
  private record Pkce(String verifier, String challenge, String state) {
    static Pkce create() {
      try {
        String verifier = random(32);
        byte[] digest =
            MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return new Pkce(
            verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest), random(16));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    private static String random(int bytes) {
      byte[] value = new byte[bytes];
      new SecureRandom().nextBytes(value);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
  }

  private static String clientCredentials(String client, String secret) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(provider() + "/oauth2/token"))
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                (client + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build());
    return json(response, 200).get("access_token").asText();
  }

  private static HttpResponse<String> refresh(String refreshToken) {
    return send(
        HttpRequest.newBuilder(URI.create(provider() + "/oauth2/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    form(
                        Map.of(
                            "grant_type", "refresh_token",
                            "refresh_token", refreshToken,
                            "client_id", DASHBOARD))))
            .build());
  }

  private static HttpResponse<String> post(String url, String body, String token) {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static HttpResponse<String> get(String url, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // --- the services, with a given token

  private static Ledgerline.Response call(String url, String json, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token);
    if (json == null) {
      request.GET();
    } else {
      request
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json));
    }
    return Ledgerline.send(request.build());
  }

  private static String openAccount(String token, String json, int expected) {
    Ledgerline.Response response = call(config().commandUrl() + "/api/v1/accounts", json, token);
    assertThat(response.status()).as(response.body()).isEqualTo(expected);
    return response.json().get("accountId").asText();
  }

  private static Ledgerline.Response deposit(String token, String account, long amount) {
    return call(
        config().commandUrl() + "/api/v1/accounts/" + account + "/deposits",
        "{\"amount\":" + amount + "}",
        token);
  }

  private static JsonNode awaitOnQuerySide(String token, String account, long version) {
    JsonNode[] read = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              Ledgerline.Response response =
                  call(
                      config().queryUrl()
                          + "/api/v1/accounts/"
                          + account
                          + "?minVersion="
                          + version,
                      null,
                      token);
              assertThat(response.status()).as(response.body()).isEqualTo(200);
              read[0] = response.json();
            });
    return read[0];
  }

  private static Map<String, Integer> restarts(LocalStack stack) {
    return Map.of(
        "command-side", stack.restartCount("command-side"),
        "query-side", stack.restartCount("query-side"));
  }

  // --- tokens

  private static String forge(KeyPair key, String issuer, String subject) throws Exception {
    long now = Instant.now().getEpochSecond();
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"foreign-key\"}";
    String claims =
        "{\"iss\":\""
            + issuer
            + "\",\"aud\":\"ledgerline\",\"sub\":\""
            + subject
            + "\",\"roles\":[\"admin\",\"operator\"],\"iat\":"
            + (now - 10)
            + ",\"exp\":"
            + (now + 300)
            + "}";
    String input = DevTokens.base64(header) + "." + DevTokens.base64(claims);
    Signature signature = Signature.getInstance("SHA256withRSA");
    signature.initSign(key.getPrivate());
    signature.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
  }

  private static JsonNode header(String jwt) {
    return part(jwt, 0);
  }

  private static JsonNode claims(String jwt) {
    return part(jwt, 1);
  }

  private static JsonNode part(String jwt, int index) {
    try {
      return Ledgerline.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> response, int expected) {
    assertThat(response.statusCode())
        .as(response.uri() + ": " + response.body())
        .isEqualTo(expected);
    try {
      return Ledgerline.JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  private static String form(Map<String, String> parameters) {
    return parameters.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int equals = pair.indexOf('=');
      parameters.put(
          java.net.URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
    }
    return parameters;
  }
}
