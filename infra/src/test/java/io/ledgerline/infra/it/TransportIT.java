package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** TLS is a matter of configuration; secrets never reach the logs. */
@SystemTest
@Order(65)
class TransportIT {

  private static final String STORE_PASSWORD = "tls-test-store-secret";

  @Test
  void aServiceServesHttpsWithAConfiguredCertificate() throws Exception {
    Path keystore = config().home().resolve("tls/self-signed.p12");
    Files.createDirectories(keystore.getParent());
    Files.deleteIfExists(keystore);
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "ledgerline",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                STORE_PASSWORD,
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2")
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor()).isZero();
    try (ServiceProcess tls =
        ServiceProcess.start(
            "query-side",
            28186,
            Map.of(
                "SPRING_DATASOURCE_URL",
                config().jdbcUrl(),
                "SPRING_DATASOURCE_USERNAME",
                config().postgresUser(),
                "SPRING_DATASOURCE_PASSWORD",
                config().postgresPassword(),
                "SPRING_KAFKA_BOOTSTRAP_SERVERS",
                config().kafkaBootstrap(),
                "SPRING_ELASTICSEARCH_URIS",
                config().elasticsearchUrl(),
                "SPRING_KAFKA_CONSUMER_GROUP_ID",
                "tls-test",
                "SERVER_SSL_ENABLED",
                "true",
                "SERVER_SSL_KEY_STORE",
                "file:" + keystore,
                "SERVER_SSL_KEY_STORE_TYPE",
                "PKCS12",
                "SERVER_SSL_KEY_STORE_PASSWORD",
                STORE_PASSWORD))) {
      HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
      HttpRequest health =
          HttpRequest.newBuilder(URI.create("https://127.0.0.1:28186/actuator/health/liveness"))
              .build();
      await()
          .atMost(Duration.ofMinutes(2))
          .ignoreExceptions()
          .until(
              () ->
                  trusting.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
      var api =
          trusting.send(
              HttpRequest.newBuilder(URI.create("https://127.0.0.1:28186/api/v1/dashboard/totals"))
                  .header(
                      "Authorization", "Bearer " + Ledgerline.tokenFor("/api/v1/dashboard/totals"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(api.statusCode()).isEqualTo(200);
      // A client that does not trust the certificate cannot talk to it.
      assertThatThrownBy(
              () -> HttpClient.newHttpClient().send(health, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(java.io.IOException.class);
      assertThat(Files.readString(tls.log())).doesNotContain(STORE_PASSWORD);
    }
  }

  @Test
  void secretsNeverAppearInTheServicesLogs() throws Exception {
    List<String> secrets =
        List.of(
            config().appPassword(), config().auditPassword(), "local-development-checkpoint-key");
    try (var logs = Files.list(config().home().resolve("logs"))) {
      for (Path log : logs.filter(p -> p.getFileName().toString().contains("side")).toList()) {
        String text = Files.readString(log);
        for (String secret : secrets) {
          assertThat(text).as(log + " contains a secret").doesNotContain(secret);
        }
      }
    }
  }

  private static SSLContext trusting(Path keystore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, STORE_PASSWORD.toCharArray());
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
