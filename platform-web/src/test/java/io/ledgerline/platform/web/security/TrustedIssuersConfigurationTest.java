package io.ledgerline.platform.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/**
 * Which issuers a service trusts: the development issuer by its key file and an OpenID Connect
 * provider by its issuer URI, at once, with the provider's discovery, key rotation and revocation
 * list served by a small OpenID Connect issuer in this test's process.
 */
class TrustedIssuersConfigurationTest {

  @TempDir static Path keys;
  private static KeyPair developmentKey;
  private static Path publicKey;

  private Issuer provider;

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ApiSecurityAutoConfiguration.class,
                  ManagementWebSecurityAutoConfiguration.class,
                  SecurityAutoConfiguration.class,
                  UserDetailsServiceAutoConfiguration.class,
                  OAuth2ResourceServerAutoConfiguration.class,
                  JacksonAutoConfiguration.class,
                  HttpMessageConvertersAutoConfiguration.class,
                  DispatcherServletAutoConfiguration.class,
                  WebMvcAutoConfiguration.class))
          .withPropertyValues(
              "ledgerline.security.jwt.issuer=ledgerline-local",
              "ledgerline.security.jwt.audience=ledgerline",
              "ledgerline.security.jwt.public-key-location=file:" + publicKey);

  @BeforeAll
  static void developmentKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    developmentKey = generator.generateKeyPair();
    publicKey = keys.resolve("public.pem");
    Files.writeString(
        publicKey,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(developmentKey.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n",
        StandardCharsets.US_ASCII);
  }

  @AfterEach
  void stopTheProvider() {
    if (provider != null) {
      provider.stop();
    }
  }

  @Test
  void theDevelopmentIssuerAndTheProviderAreTrustedTogetherAndNoOneElse() throws Exception {
    provider = Issuer.start(freePort());
    runner
        .withPropertyValues("ledgerline.security.jwt.issuer-uri=" + provider.url())
        .run(
            context -> {
              MockMvc mvc = mvc(context);
              assertThat(status(mvc, development("operator"))).isEqualTo(404);
              assertThat(status(mvc, provider.token("alice", "operator"))).isEqualTo(404);

              RSAKey stranger = newKey();
              assertThat(status(mvc, sign(stranger, "https://evil.example", "alice", "admin")))
                  .as("a foreign issuer")
                  .isEqualTo(401);
              assertThat(status(mvc, sign(stranger, provider.url(), "alice", "admin")))
                  .as("the provider's name on a key it never published")
                  .isEqualTo(401);
              assertThat(status(mvc, provider.token("alice", "operator", "other-audience")))
                  .as("another audience")
                  .isEqualTo(401);
            });
  }

  @Test
  void aServiceStartsBeforeTheProviderAndTakesItsTokensOnceItAnswers() throws Exception {
    int port = freePort();
    runner
        .withPropertyValues("ledgerline.security.jwt.issuer-uri=http://127.0.0.1:" + port)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              MockMvc mvc = mvc(context);
              Issuer later = Issuer.create(port);
              String token = later.token("alice", "operator");

              MockHttpServletResponse unavailable = response(mvc, token);
              assertThat(unavailable.getStatus()).isEqualTo(503);
              assertThat(unavailable.getHeader("Retry-After")).isEqualTo("1");
              assertThat(unavailable.getContentAsString())
                  .contains("urn:ledgerline:problem:unavailable");
              assertThat(status(mvc, development("operator"))).isEqualTo(404);

              provider = later.listen();
              await()
                  .atMost(Duration.ofSeconds(15))
                  .untilAsserted(() -> assertThat(status(mvc, token)).isEqualTo(404));
            });
  }

  @Test
  void theProvidersKeysRotateWithoutARestart() throws Exception {
    provider = Issuer.start(freePort());
    runner
        .withPropertyValues("ledgerline.security.jwt.issuer-uri=" + provider.url())
        .run(
            context -> {
              MockMvc mvc = mvc(context);
              String old = provider.token("alice", "operator");
              assertThat(status(mvc, old)).isEqualTo(404);
              int fetches = provider.jwksFetches.get();

              provider.rotate();
              String fresh = provider.token("alice", "operator");

              assertThat(status(mvc, fresh)).isEqualTo(404);
              assertThat(provider.jwksFetches.get())
                  .as("fetched again for the new key")
                  .isGreaterThan(fetches);
              assertThat(status(mvc, old)).as("the old key is still published").isEqualTo(404);
            });
  }

  @Test
  void aRevokedSubjectsOlderTokensAreRefusedOnceTheListIsReadAndAStaleListRefusesAll()
      throws Exception {
    provider = Issuer.start(freePort());
    runner
        .withPropertyValues(
            "ledgerline.security.jwt.issuer-uri=" + provider.url(),
            "ledgerline.security.jwt.revocation-uri=" + provider.url() + "/revocations",
            "ledgerline.security.jwt.revocation-poll-interval=PT0.1S",
            "ledgerline.security.jwt.revocation-max-age=PT2S")
        .run(
            context -> {
              assertThat(context).hasSingleBean(RevocationList.class);
              MockMvc mvc = mvc(context);
              String bobs = provider.token("bob", "customer");
              String alices = provider.token("alice", "customer");
              await().untilAsserted(() -> assertThat(status(mvc, bobs)).isEqualTo(404));

              provider.revoke("bob", Instant.now());

              await()
                  .atMost(Duration.ofSeconds(5))
                  .untilAsserted(() -> assertThat(status(mvc, bobs)).isEqualTo(401));
              assertThat(status(mvc, alices)).isEqualTo(404);
              assertThat(status(mvc, development("customer")))
                  .as("the development issuer's tokens are not on the provider's list")
                  .isEqualTo(404);

              provider.stop();
              await()
                  .atMost(Duration.ofSeconds(10))
                  .untilAsserted(() -> assertThat(status(mvc, alices)).isEqualTo(503));
              assertThat(status(mvc, development("customer"))).isEqualTo(404);
            });
  }

  @Test
  void rolesMayComeFromANestedClaimAsKeycloakPutsThem() throws Exception {
    provider = Issuer.start(freePort());
    runner
        .withPropertyValues(
            "ledgerline.security.jwt.issuer-uri=" + provider.url(),
            "ledgerline.security.jwt.roles-claim=realm_access.roles")
        .run(
            context -> {
              MockMvc mvc = mvc(context);
              String keycloakStyle =
                  provider.sign(
                      new JWTClaimsSet.Builder()
                          .claim(
                              "realm_access", Map.of("roles", List.of("admin", "offline_access"))),
                      "adam",
                      "ledgerline");
              assertThat(status(mvc, "/actuator/metrics", keycloakStyle)).isEqualTo(404);
              assertThat(status(mvc, "/actuator/metrics", provider.token("adam", "admin")))
                  .as("a top-level roles claim is not read then")
                  .isEqualTo(403);
            });
  }

  @Test
  void rolesAreReadFromAListAStringOrADottedPath() {
    Jwt jwt =
        Jwt.withTokenValue("t")
            .header("alg", "RS256")
            .claim("roles", List.of("customer", "auditor"))
            .claim("scope_roles", "operator admin")
            .claim("realm_access", Map.of("roles", List.of("admin")))
            .claim("https://ledgerline.example/roles", List.of("operator"))
            .build();

    assertThat(ApiSecurityAutoConfiguration.rolesOf(jwt, "roles"))
        .containsExactly("customer", "auditor");
    assertThat(ApiSecurityAutoConfiguration.rolesOf(jwt, "scope_roles"))
        .containsExactly("operator", "admin");
    assertThat(ApiSecurityAutoConfiguration.rolesOf(jwt, "realm_access.roles"))
        .containsExactly("admin");
    assertThat(ApiSecurityAutoConfiguration.rolesOf(jwt, "https://ledgerline.example/roles"))
        .containsExactly("operator");
    assertThat(ApiSecurityAutoConfiguration.rolesOf(jwt, "missing.path")).isEmpty();
  }

  @Test
  void aServiceTrustingOnlyAnIssuerUriStartsInTheProductionProfile() {
    runner
        .withPropertyValues(
            "ledgerline.security.jwt.public-key-location=",
            "ledgerline.security.jwt.issuer-uri=https://keycloak.example/realms/ledgerline",
            "spring.profiles.active=production")
        .run(context -> assertThat(context).hasNotFailed());
  }

  // --- helpers

  private static MockMvc mvc(AssertableWebApplicationContext context) {
    return MockMvcBuilders.webAppContextSetup(context)
        .addFilters(context.getBean("springSecurityFilterChain", Filter.class))
        .build();
  }

  private static int status(MockMvc mvc, String token) throws Exception {
    return response(mvc, token).getStatus();
  }

  private static int status(MockMvc mvc, String path, String token) throws Exception {
    return mvc.perform(get(path).header("Authorization", "Bearer " + token))
        .andReturn()
        .getResponse()
        .getStatus();
  }

  // Past security, no controller answers: 404.
  private static MockHttpServletResponse response(MockMvc mvc, String token) throws Exception {
    return mvc.perform(get("/api/v1/anything").header("Authorization", "Bearer " + token))
        .andReturn()
        .getResponse();
  }

  private static String development(String role) throws Exception {
    Instant now = Instant.now();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.RS256),
            new JWTClaimsSet.Builder()
                .issuer("ledgerline-local")
                .audience("ledgerline")
                .subject("bob")
                .claim("roles", List.of(role))
                .issueTime(Date.from(now.minusSeconds(60)))
                .expirationTime(Date.from(now.plusSeconds(600)))
                .build());
    jwt.sign(new RSASSASigner((RSAPrivateKey) developmentKey.getPrivate()));
    return jwt.serialize();
  }

  private static String sign(RSAKey key, String issuer, String subject, String role)
      throws Exception {
    Instant now = Instant.now();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
            new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience("ledgerline")
                .subject(subject)
                .claim("roles", List.of(role))
                .issueTime(Date.from(now.minusSeconds(10)))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static RSAKey newKey() throws Exception {
    return new RSAKeyGenerator(2048).keyID(java.util.UUID.randomUUID().toString()).generate();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** A minimal OpenID Connect issuer: discovery, a JWK set that rotates, a revocation list. */
  private static final class Issuer {
    private final int port;
    private volatile List<RSAKey> keys;
    private volatile String revocations;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private HttpServer server;

    private Issuer(int port) throws Exception {
      this.port = port;
      this.keys = List.of(newKey());
      this.revocations = "{\"issuer\":\"" + url() + "\",\"revoked\":[]}";
    }

    static Issuer create(int port) throws Exception {
      return new Issuer(port);
    }

    static Issuer start(int port) throws Exception {
      return new Issuer(port).listen();
    }

    Issuer listen() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      server.createContext(
          "/.well-known/openid-configuration",
          exchange ->
              respond(
                  exchange, "{\"issuer\":\"" + url() + "\",\"jwks_uri\":\"" + url() + "/jwks\"}"));
      server.createContext(
          "/jwks",
          exchange -> {
            jwksFetches.incrementAndGet();
            respond(exchange, new JWKSet(List.copyOf(keys)).toString());
          });
      server.createContext("/revocations", exchange -> respond(exchange, revocations));
      server.start();
      return this;
    }

    String url() {
      return "http://127.0.0.1:" + port;
    }

    void rotate() throws Exception {
      keys = List.of(keys.get(keys.size() - 1), newKey());
    }

    void revoke(String subject, Instant at) {
      revocations =
          "{\"issuer\":\""
              + url()
              + "\",\"revoked\":[{\"subject\":\""
              + subject
              + "\",\"revokedAt\":\""
              + at
              + "\"}]}";
    }

    String token(String subject, String role) throws Exception {
      return token(subject, role, "ledgerline");
    }

    String token(String subject, String role, String audience) throws Exception {
      return sign(new JWTClaimsSet.Builder().claim("roles", List.of(role)), subject, audience);
    }

    String sign(JWTClaimsSet.Builder claims, String subject, String audience) throws Exception {
      RSAKey key = keys.get(keys.size() - 1);
      Instant now = Instant.now();
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
              claims
                  .issuer(url())
                  .audience(audience)
                  .subject(subject)
                  .issueTime(Date.from(now.minusSeconds(10)))
                  .expirationTime(Date.from(now.plusSeconds(300)))
                  .build());
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    }

    void stop() {
      if (server != null) {
        server.stop(0);
        server = null;
      }
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body)
        throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    }
  }
}
