package io.ledgerline.infra.localstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Cheap readiness checks: a TCP connect or an HTTP 200. */
final class Probes {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Probes() {}

  static boolean portOpen(int port) {
    return portOpen("127.0.0.1", port);
  }

  static boolean portOpen(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether a server could listen on {@code port} now: nobody accepts connections there and a bind
   * succeeds. The bind reuses addresses as the servers do, so TIME_WAIT leftovers do not count.
   */
  static boolean portFree(int port) {
    if (portOpen(port)) {
      return false;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static boolean httpOk(String url) {
    return httpStatus(url) == 200;
  }

  /** The HTTP status of a GET, or -1 when there is no answer. */
  static int httpStatus(String url) {
    try {
      return HTTP.send(request(url), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The body of a GET answered with 200, if any. */
  static Optional<String> httpBody(String url) {
    return httpBody(request(url));
  }

  /** The body of a GET with a bearer token, answered with 200, if any. */
  static Optional<String> httpBody(String url, String token) {
    return httpBody(
        HttpRequest.newBuilder(request(url), (name, value) -> true)
            .header("Authorization", "Bearer " + token)
            .build());
  }

  private static Optional<String> httpBody(HttpRequest request) {
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static HttpRequest request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
  }
}
