package io.ledgerline.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.ledgerline.query.projection.ElasticsearchCredentials.PreemptiveCredentials;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.apache.http.impl.nio.client.HttpAsyncClientBuilder;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchConnectionDetails;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchConnectionDetails.Node;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchConnectionDetails.Node.Protocol;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * The read store's client as Spring Boot builds it, with the credentials customizer, against a
 * loopback HTTP server that answers as a secured Elasticsearch does: 401 with a challenge unless
 * acceptable basic credentials come with the request.
 */
class ElasticsearchCredentialsTest {

  private final ApplicationContextRunner contexts =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ElasticsearchRestClientAutoConfiguration.class))
          .withUserConfiguration(ElasticsearchCredentials.class);

  private HttpServer server;
  private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  private volatile Set<String> accepted = Set.of();
  private volatile boolean redirect;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String authorization = exchange.getRequestHeaders().getFirst("Authorization");
          authorizations.add(String.valueOf(authorization));
          boolean allowed = accepted.isEmpty() || accepted.contains(authorization);
          int status = redirect ? 302 : allowed ? 200 : 401;
          if (status == 401) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"security\"");
          }
          if (redirect) {
            exchange.getResponseHeaders().add("Location", "http://localhost:" + port() + "/x");
          }
          byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.getResponseHeaders().add("X-elastic-product", "Elasticsearch");
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void sendsConfiguredCredentialsWithEveryRequestWithoutBeingChallenged() {
    String expected = basic("reader:s3cret:with-colon");
    accepted = Set.of(expected);

    assertThat(
            statuses(
                3,
                "spring.elasticsearch.uris=http://127.0.0.1:" + port(),
                "spring.elasticsearch.username=reader",
                "spring.elasticsearch.password=s3cret:with-colon"))
        .containsOnly(200);
    assertThat(authorizations).containsExactly(expected, expected, expected);
  }

  @Test
  void sendsTheNodesOwnCredentialsWhenAllNodesShareThem() {
    String expected = basic("node-user:node-password");
    accepted = Set.of(expected);

    assertThat(
            statuses(
                2, "spring.elasticsearch.uris=http://node-user:node-password@127.0.0.1:" + port()))
        .containsOnly(200);
    assertThat(authorizations).containsExactly(expected, expected);
  }

  @Test
  void sendsNoCredentialsWhenNoneAreConfigured() {
    statuses(2, "spring.elasticsearch.uris=http://127.0.0.1:" + port());

    assertThat(authorizations).containsExactly("null", "null");
  }

  @Test
  void leavesNodesWithCredentialsOfTheirOwnToTheClientsPerNodeCache() {
    // Two names of the same server, each node with its own credentials.
    accepted = Set.of(basic("first:one"), basic("second:two"));

    assertThat(
            statuses(
                4,
                "spring.elasticsearch.uris=http://first:one@127.0.0.1:"
                    + port()
                    + ",http://second:two@localhost:"
                    + port()))
        .containsOnly(200);
    assertThat(authorizations).hasSize(4).allMatch(accepted::contains);
    assertThat(Set.copyOf(authorizations)).isEqualTo(accepted);
  }

  @Test
  void turnsApacheAuthCacheOffOnlyWhereOneCredentialFitsAllNodes() {
    assertThat(authCachingDisabled(connection("reader", "pw", node(null, null), node(null, null))))
        .isTrue();
    assertThat(authCachingDisabled(connection(null, null, node(null, null)))).isTrue();
    assertThat(authCachingDisabled(connection(null, null, node("a", "1"), node("b", "2"))))
        .isFalse();
    assertThat(authCachingDisabled(connection(null, null, node("a", "1"), node(null, null))))
        .isFalse();
  }

  @Test
  void followsNoRedirectSoCredentialsReachNoOtherHost() {
    accepted = Set.of(basic("reader:pw"));
    redirect = true;
    contexts
        .withPropertyValues(
            "spring.elasticsearch.uris=http://127.0.0.1:" + port(),
            "spring.elasticsearch.username=reader",
            "spring.elasticsearch.password=pw")
        .run(
            context -> {
              RestClient client = context.getBean(RestClient.class);
              assertThatThrownBy(() -> client.performRequest(new Request("GET", "/")))
                  .isInstanceOfSatisfying(
                      ResponseException.class,
                      e ->
                          assertThat(e.getResponse().getStatusLine().getStatusCode())
                              .isEqualTo(302));
            });

    assertThat(authorizations).hasSize(1);
  }

  private int port() {
    return server.getAddress().getPort();
  }

  /**
   * The statuses of {@code requests} GETs by the client Spring Boot builds with {@code properties}.
   */
  private List<Integer> statuses(int requests, String... properties) {
    List<Integer> statuses = new ArrayList<>();
    contexts
        .withPropertyValues(properties)
        .run(
            context -> {
              RestClient client = context.getBean(RestClient.class);
              for (int i = 0; i < requests; i++) {
                statuses.add(status(client));
              }
            });
    assertThat(statuses).hasSize(requests);
    return statuses;
  }

  private static int status(RestClient client) throws IOException {
    return client.performRequest(new Request("GET", "/")).getStatusLine().getStatusCode();
  }

  private static boolean authCachingDisabled(ElasticsearchConnectionDetails connection) {
    HttpAsyncClientBuilder builder = HttpAsyncClientBuilder.create();
    new PreemptiveCredentials(connection).customize(builder);
    return (boolean) ReflectionTestUtils.getField(builder, "authCachingDisabled");
  }

  private Node node(String user, String password) {
    return new Node("127.0.0.1", port(), Protocol.HTTP, user, password);
  }

  private static ElasticsearchConnectionDetails connection(
      String user, String password, Node... nodes) {
    return new ElasticsearchConnectionDetails() {
      @Override
      public List<Node> getNodes() {
        return List.of(nodes);
      }

      @Override
      public String getUsername() {
        return user;
      }

      @Override
      public String getPassword() {
        return password;
      }
    };
  }

  private static String basic(String userAndPassword) {
    return "Basic "
        + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }
}
