package io.ledgerline.query.projection;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchConnectionDetails;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchConnectionDetails.Node;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchConnectionDetails.Node.Protocol;

/**
 * The read store's client with the credentials customizer, against a loopback HTTP server that
 * answers as a secured Elasticsearch does: 401 with a challenge unless the right basic credentials
 * come with the request.
 */
class ElasticsearchCredentialsTest {

  private static final String USER = "reader";
  private static final String PASSWORD = "s3cret:with-colon";

  private HttpServer server;
  private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  private volatile String required;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String authorization = exchange.getRequestHeaders().getFirst("Authorization");
          authorizations.add(String.valueOf(authorization));
          boolean allowed = required == null || required.equals(authorization);
          if (!allowed) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"security\"");
          }
          byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.getResponseHeaders().add("X-elastic-product", "Elasticsearch");
          exchange.sendResponseHeaders(allowed ? 200 : 401, body.length);
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
  void sendsConfiguredCredentialsWithEveryRequestWithoutBeingChallenged() throws IOException {
    required = basic(USER + ":" + PASSWORD);
    ElasticsearchConnectionDetails connection = connection(USER, PASSWORD, node(null, null));

    try (RestClient client = client(connection)) {
      for (int i = 0; i < 3; i++) {
        assertThat(client.performRequest(new Request("GET", "/")).getStatusLine().getStatusCode())
            .isEqualTo(200);
      }
    }

    assertThat(authorizations).containsExactly(required, required, required);
  }

  @Test
  void sendsTheNodesOwnCredentialsWhenAllNodesShareThem() throws IOException {
    required = basic("node-user:node-password");
    ElasticsearchConnectionDetails connection =
        connection(null, null, node("node-user", "node-password"));

    try (RestClient client = client(connection)) {
      client.performRequest(new Request("GET", "/"));
      client.performRequest(new Request("GET", "/"));
    }

    assertThat(authorizations).containsExactly(required, required);
  }

  @Test
  void sendsNoCredentialsWhenNoneAreConfigured() throws IOException {
    ElasticsearchConnectionDetails connection = connection(null, null, node(null, null));

    try (RestClient client = client(connection)) {
      client.performRequest(new Request("GET", "/"));
      client.performRequest(new Request("GET", "/"));
    }

    assertThat(authorizations).containsExactly("null", "null");
  }

  @Test
  void leavesNodesWithCredentialsOfTheirOwnToTheClientsPerNodeCache() throws IOException {
    required = basic("first:one");
    Node first = node("first", "one");
    Node second = new Node("localhost", server.getAddress().getPort(), Protocol.HTTP, "b", "two");
    ElasticsearchConnectionDetails connection = connection(null, null, first, second);
    PreemptiveCredentials customizer = new PreemptiveCredentials(connection);
    BasicCredentialsProvider credentials = new BasicCredentialsProvider();
    credentials.setCredentials(
        new AuthScope("127.0.0.1", server.getAddress().getPort()),
        new UsernamePasswordCredentials("first", "one"));

    try (RestClient client =
        builder(customizer, credentials, new HttpHost("127.0.0.1", server.getAddress().getPort()))
            .build()) {
      assertThat(client.performRequest(new Request("GET", "/")).getStatusLine().getStatusCode())
          .isEqualTo(200);
    }

    // No default header fits both nodes: the client's cache sends each node's own, unchallenged.
    assertThat(authorizations).containsExactly(required);
  }

  private RestClient client(ElasticsearchConnectionDetails connection) {
    // As Spring Boot's own customizer does: credentials for every node, ours applied after it.
    BasicCredentialsProvider credentials = new BasicCredentialsProvider();
    String user = connection.getUsername();
    String password = connection.getPassword();
    Node node = connection.getNodes().get(0);
    if (node.username() != null) {
      user = node.username();
      password = node.password();
    }
    if (user != null) {
      credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(user, password));
    }
    return builder(
            new PreemptiveCredentials(connection),
            credentials,
            new HttpHost("127.0.0.1", server.getAddress().getPort()))
        .build();
  }

  private static RestClientBuilder builder(
      PreemptiveCredentials customizer, BasicCredentialsProvider credentials, HttpHost host) {
    RestClientBuilder builder = RestClient.builder(host);
    builder.setHttpClientConfigCallback(
        http -> {
          http.setDefaultCredentialsProvider(credentials);
          customizer.customize(http);
          return http;
        });
    customizer.customize(builder);
    return builder;
  }

  private Node node(String user, String password) {
    return new Node("127.0.0.1", server.getAddress().getPort(), Protocol.HTTP, user, password);
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
