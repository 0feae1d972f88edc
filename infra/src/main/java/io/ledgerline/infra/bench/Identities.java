package io.ledgerline.infra.bench;

import io.ledgerline.infra.localstack.DevTokens;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Who the benchmark's clients are. The services limit requests per client address and per (address,
 * token subject), so each load client sends from its own loopback addresses and with its own
 * subjects, in turn: then a client's ceiling is {@code min(addresses × per-address limit, subjects
 * × per-subject limit)} and the limiter does not bind below the sum over clients.
 */
final class Identities {

  /** Where a request comes from and whose token it carries. */
  record Identity(InetAddress source, String subject, String token) {}

  private static final Duration LIFETIME = Duration.ofHours(6);

  private final Options options;
  private final DevTokens tokens;
  private final String runId;
  private final boolean spread;
  private final List<List<Identity>> clients = new ArrayList<>();
  private final PrivateKey forger;
  private final String setupToken;
  private final String adminToken;
  private final String auditorToken;

  Identities(Options options, DevTokens tokens, String runId, boolean spread) throws IOException {
    this.options = options;
    this.spread = spread;
    this.tokens = tokens;
    this.runId = runId;
    this.forger = options.invalidLoadTokens() ? throwawayKey() : null;
    this.setupToken = tokens.issue(subject("setup"), List.of("operator"), LIFETIME);
    this.adminToken = tokens.issue(subject("admin"), List.of("admin"), LIFETIME);
    this.auditorToken = tokens.issue(subject("auditor"), List.of("auditor"), LIFETIME);
  }

  /** The subject of this run's tokens with {@code suffix}. */
  String subject(String suffix) {
    return "bench-" + runId + "-" + suffix;
  }

  /** An operator token for set-up work (opening and funding accounts), sent from 127.0.0.1. */
  String setupToken() {
    return setupToken;
  }

  String adminToken() {
    return adminToken;
  }

  String auditorToken() {
    return auditorToken;
  }

  /**
   * The identities of load client {@code client}: {@code subjects-per-client} operator tokens, each
   * paired with one of the client's {@code addresses-per-client} source addresses. Request {@code
   * i} uses identity {@code i % size}.
   */
  synchronized List<Identity> client(int client) throws IOException {
    while (clients.size() <= client) {
      int index = clients.size();
      List<Identity> identities = new ArrayList<>();
      for (int s = 0; s < options.subjectsPerClient(); s++) {
        int address = index * options.addressesPerClient() + s % options.addressesPerClient();
        String subject = subject("c" + index + "-s" + s);
        String token =
            forger != null ? forged(subject) : tokens.issue(subject, List.of("operator"), LIFETIME);
        identities.add(new Identity(spread ? loopback(address) : null, subject, token));
      }
      clients.add(identities);
    }
    return clients.get(client);
  }

  /** Whether this machine answers on 127.0.0.2 (Linux does: all of 127/8 is loopback). */
  static boolean loopbackAliasesWork() {
    try (java.net.ServerSocket server =
            new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        java.net.Socket client = new java.net.Socket()) {
      client.bind(new java.net.InetSocketAddress(loopback(0), 0));
      client.connect(server.getLocalSocketAddress(), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The address of index {@code n}: 127.0.0.2, 127.0.0.3, ... (127.0.0.1 stays for set-up). */
  static InetAddress loopback(int n) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, (byte) (n / 250), (byte) (n % 250 + 2)});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token like a real one, signed with a key the services do not know: they answer 401. */
  private String forged(String subject) throws IOException {
    long now = Instant.now().getEpochSecond();
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String claims =
        "{\"iss\":\""
            + DevTokens.ISSUER
            + "\",\"aud\":\""
            + DevTokens.AUDIENCE
            + "\",\"sub\":\""
            + subject
            + "\",\"roles\":[\"operator\"],\"iat\":"
            + now
            + ",\"nbf\":"
            + now
            + ",\"exp\":"
            + (now + LIFETIME.toSeconds())
            + "}";
    String input = DevTokens.base64(header) + "." + DevTokens.base64(claims);
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(forger);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot sign a forged token", e);
    }
  }

  private static PrivateKey throwawayKey() throws IOException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair().getPrivate();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot create a throwaway key", e);
    }
  }
}
