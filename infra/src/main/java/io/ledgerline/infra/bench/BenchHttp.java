package io.ledgerline.infra.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client with keep-alive for the benchmark's load. It exists because the JDK's
 * client on Java 17 cannot choose a connection's source address: the benchmark spreads its clients
 * over loopback addresses (127.0.0.2, 127.0.0.3, ...) so that the services' per-address rate limit
 * does not bind. One instance per load thread; not thread-safe.
 */
final class BenchHttp implements Closeable {

  /** A status for a request that got no HTTP answer because the connection failed. */
  static final int CONNECTION_ERROR = -1;

  /** A status for a request that got no HTTP answer in time. */
  static final int TIMEOUT = -2;

  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final int READ_TIMEOUT_MILLIS = 60_000;
  // Servers close idle keep-alive connections; reusing one that idled this long risks a lost race.
  private static final long MAX_IDLE_NANOS = 2_000_000_000L;

  /** Where requests go: a service's (or Elasticsearch's) host and port. */
  record Target(String host, int port, boolean loopback) {

    static Target of(String baseUrl) {
      URI uri = URI.create(baseUrl);
      int port = uri.getPort() > 0 ? uri.getPort() : 80;
      boolean loopback;
      try {
        loopback = InetAddress.getByName(uri.getHost()).isLoopbackAddress();
      } catch (UnknownHostException e) {
        loopback = false;
      }
      return new Target(uri.getHost(), port, loopback);
    }
  }

  /**
   * An answer: its status (or {@link #CONNECTION_ERROR}, {@link #TIMEOUT}), its body, and its
   * {@code Retry-After} in seconds (-1 without one).
   */
  record Answer(int status, String body, long retryAfterSeconds) {

    Answer(int status, String body) {
      this(status, body, -1);
    }

    boolean ok() {
      return status >= 200 && status < 300;
    }

    /** The label the benchmark counts this answer under: the status code or what went wrong. */
    String label() {
      return label(status);
    }

    static String label(int status) {
      return switch (status) {
        case CONNECTION_ERROR -> "connection-error";
        case TIMEOUT -> "timeout";
        default -> Integer.toString(status);
      };
    }
  }

  private final Map<String, Connection> connections = new HashMap<>();

  /**
   * Sends one request and reads the whole answer. Never throws for a failed connection or a
   * timeout: those come back as {@link #CONNECTION_ERROR} or {@link #TIMEOUT}, to be counted.
   *
   * @param source the loopback address to connect from, or null for the system's choice
   * @param token a bearer token, or null for none
   * @param json a JSON body, or null for none
   */
  Answer send(
      Target target, InetAddress source, String method, String path, String token, String json) {
    String key = (source == null ? "-" : source.getHostAddress()) + ">" + target;
    Connection connection = connections.get(key);
    boolean reused = connection != null;
    try {
      if (connection != null && connection.idleTooLong()) {
        connection.close();
        connection = null;
        reused = false;
      }
      if (connection == null) {
        connection = new Connection(target, target.loopback() ? source : null);
        connections.put(key, connection);
      }
      Answer answer = connection.exchange(target, method, path, token, json);
      if (connection.closed) {
        connections.remove(key);
      }
      return answer;
    } catch (SocketTimeoutException e) {
      forget(key, connection);
      return new Answer(TIMEOUT, "");
    } catch (IOException e) {
      forget(key, connection);
      // A kept-alive connection the server closed meanwhile: only a read is safe to send again.
      if (reused && method.equals("GET")) {
        return send(target, source, method, path, token, json);
      }
      return new Answer(CONNECTION_ERROR, String.valueOf(e.getMessage()));
    }
  }

  private void forget(String key, Connection connection) {
    connections.remove(key);
    if (connection != null) {
      connection.close();
    }
  }

  @Override
  public void close() {
    connections.values().forEach(Connection::close);
    connections.clear();
  }

  /** One kept-alive TCP connection. */
  private static final class Connection {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private long lastUsed = System.nanoTime();
    private boolean closed;

    Connection(Target target, InetAddress source) throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      if (source != null) {
        socket.bind(new InetSocketAddress(source, 0));
      }
      socket.connect(new InetSocketAddress(target.host(), target.port()), CONNECT_TIMEOUT_MILLIS);
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      out = socket.getOutputStream();
    }

    boolean idleTooLong() {
      return System.nanoTime() - lastUsed > MAX_IDLE_NANOS;
    }

    Answer exchange(Target target, String method, String path, String token, String json)
        throws IOException {
      byte[] body = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
      StringBuilder head = new StringBuilder(256);
      head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      head.append("Host: ").append(target.host()).append(':').append(target.port()).append("\r\n");
      head.append("Accept: application/json\r\n");
      if (token != null) {
        head.append("Authorization: Bearer ").append(token).append("\r\n");
      }
      if (body != null) {
        head.append("Content-Type: application/json\r\n");
        head.append("Content-Length: ").append(body.length).append("\r\n");
      } else if (method.equals("POST")) {
        head.append("Content-Length: 0\r\n");
      }
      head.append("\r\n");
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();

      String statusLine = readLine(in);
      if (statusLine == null) {
        throw new EOFException("connection closed before an answer");
      }
      if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP answer: " + statusLine);
      }
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long contentLength = -1;
      boolean chunked = false;
      boolean close = statusLine.startsWith("HTTP/1.0");
      long retryAfter = -1;
      String line;
      while ((line = readLine(in)) != null && !line.isEmpty()) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        switch (name) {
          case "content-length" -> contentLength = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          case "connection" -> close = close || value.equalsIgnoreCase("close");
          case "retry-after" -> retryAfter = value.matches("\\d{1,6}") ? Long.parseLong(value) : -1;
          default -> {}
        }
      }
      if (line == null) {
        throw new EOFException("connection closed inside the answer's headers");
      }
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      boolean bodyless = method.equals("HEAD") || status == 204 || status == 304 || status < 200;
      if (!bodyless) {
        if (chunked) {
          readChunked(in, content);
        } else if (contentLength >= 0) {
          copy(in, content, contentLength);
        } else {
          in.transferTo(content);
          close = true;
        }
      }
      lastUsed = System.nanoTime();
      if (close) {
        close();
      }
      return new Answer(status, content.toString(StandardCharsets.UTF_8), retryAfter);
    }

    void close() {
      closed = true;
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing is best effort.
      }
    }

    private static void readChunked(InputStream in, ByteArrayOutputStream content)
        throws IOException {
      while (true) {
        String sizeLine = readLine(in);
        if (sizeLine == null) {
          throw new EOFException("connection closed inside a chunked body");
        }
        int semicolon = sizeLine.indexOf(';');
        String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
        long size = Long.parseLong(hex, 16);
        if (size == 0) {
          String trailer;
          while ((trailer = readLine(in)) != null && !trailer.isEmpty()) {
            // Trailers are not used.
          }
          return;
        }
        copy(in, content, size);
        readLine(in); // The CRLF after each chunk.
      }
    }

    private static void copy(InputStream in, ByteArrayOutputStream content, long length)
        throws IOException {
      byte[] buffer = new byte[8192];
      long left = length;
      while (left > 0) {
        int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (read < 0) {
          throw new EOFException("connection closed inside a body");
        }
        content.write(buffer, 0, read);
        left -= read;
      }
    }

    /** A CRLF-terminated line without its end, or null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
      StringBuilder line = new StringBuilder(64);
      int c;
      while ((c = in.read()) >= 0) {
        if (c == '\n') {
          int length = line.length();
          if (length > 0 && line.charAt(length - 1) == '\r') {
            line.setLength(length - 1);
          }
          return line.toString();
        }
        line.append((char) c);
      }
      return line.length() == 0 ? null : line.toString();
    }
  }
}
