package io.ledgerline.infra.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The local stack's development token issuer: an RSA key pair kept in the stack's home, and RS256
 * JWTs signed with it. It exists only in the launcher; the services merely trust the public key
 * they are given, and refuse this issuer in their production profile.
 */
public final class DevTokens {

  /** The issuer ({@code iss}) of development tokens. */
  public static final String ISSUER = "ledgerline-local";

  /** The audience ({@code aud}) both services require. */
  public static final String AUDIENCE = "ledgerline";

  private final Path folder;

  public DevTokens(StackConfig config) {
    this.folder = config.home().resolve("security");
  }

  /** The PEM file of the public key the services verify tokens with. */
  public Path publicKey() {
    return folder.resolve("dev-jwt-public.pem");
  }

  private Path privateKey() {
    return folder.resolve("dev-jwt-private.pem");
  }

  /** Whether the key pair exists, so tokens can be issued without creating one. */
  public boolean hasKeys() {
    return Files.exists(privateKey()) && Files.exists(publicKey());
  }

  /** Creates the key pair once; later runs reuse it, so issued tokens stay valid. */
  public void ensureKeys() throws IOException {
    if (hasKeys()) {
      return;
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      Files.createDirectories(folder);
      Files.writeString(publicKey(), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
      Files.writeString(privateKey(), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      privateKey().toFile().setReadable(false, false);
      privateKey().toFile().setReadable(true, true);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot create the development key pair", e);
    }
  }

  /** A signed token for {@code subject} with {@code roles}, valid for {@code lifetime}. */
  public String issue(String subject, List<String> roles, Duration lifetime) throws IOException {
    ensureKeys();
    Instant now = Instant.now();
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String claims =
        "{\"iss\":\""
            + ISSUER
            + "\",\"aud\":\""
            + AUDIENCE
            + "\",\"sub\":"
            + quote(subject)
            + ",\"roles\":["
            + roles.stream().map(DevTokens::quote).collect(Collectors.joining(","))
            + "],\"iat\":"
            + now.getEpochSecond()
            + ",\"nbf\":"
            + now.getEpochSecond()
            + ",\"exp\":"
            + now.plus(lifetime).getEpochSecond()
            + ",\"jti\":\""
            + UUID.randomUUID()
            + "\"}";
    return sign(header, claims);
  }

  /** Signs any header and claims (tests use it to forge expired or odd tokens). */
  public String sign(String header, String claims) throws IOException {
    ensureKeys();
    String input = base64(header) + "." + base64(claims);
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(loadPrivateKey());
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot sign a token", e);
    }
  }

  private PrivateKey loadPrivateKey() throws IOException, GeneralSecurityException {
    String pem = Files.readString(privateKey());
    byte[] der =
        Base64.getMimeDecoder()
            .decode(
                pem.replace("-----BEGIN PRIVATE KEY-----", "")
                    .replace("-----END PRIVATE KEY-----", ""));
    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  public static String base64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String quote(String value) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        default -> {
          if (c < 0x20) {
            quoted.append(String.format("\\u%04x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }
}
