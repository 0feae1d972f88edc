package io.ledgerline.infra.localstack;

import io.ledgerline.infra.gateway.GatewaySimulator;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the local stack lives and how it is sized. Every setting comes from a command-line flag
 * ({@code --pg-port=5433}), else the environment ({@code LEDGERLINE_PG_PORT}), else a default.
 *
 * @param repo the repository root (holds {@code mvnw} and the built service jars)
 * @param home the folder for all data, logs and pid files ({@code .ledgerline/} by default)
 * @param downloads the folder for downloaded distributions (shared between stacks)
 * @param postgresPort the embedded PostgreSQL's port
 * @param externalPostgresUrl a JDBC URL of an existing PostgreSQL to use instead, if any
 * @param postgresUser the database user the services connect as
 * @param postgresPassword that user's password
 * @param appPassword password of {@code ledgerline_app}, the command side's role (append-only
 *     events)
 * @param auditPassword password of {@code ledgerline_audit}, the query side's read-only role
 * @param kafkaPort the Kafka broker's port (the controller listens on the next one)
 * @param elasticsearchPort Elasticsearch's HTTP port (transport on the next one)
 * @param commandPort the command side's HTTP port
 * @param queryPort the query side's HTTP port
 * @param elasticsearchHeap Elasticsearch's JVM heap, e.g. {@code 512m}
 * @param kafkaHeap the Kafka broker's JVM heap
 * @param serviceHeap each Spring Boot service's JVM heap
 * @param gatewayPort the payment gateway simulator's HTTP port
 * @param externalGatewayApiBase the API base of a real payment gateway (Stripe) to use instead of
 *     the simulator, if any
 * @param gatewayApiKey the gateway's secret API key, handed to the command side (and the simulator)
 * @param gatewayWebhookSecret the gateway's webhook signing secret, likewise
 * @param identityPort the identity provider's HTTP port (its issuer is {@link #identityUrl()})
 * @param identityHeap the identity provider's JVM heap
 */
public record StackConfig(
    Path repo,
    Path home,
    Path downloads,
    int postgresPort,
    Optional<String> externalPostgresUrl,
    String postgresUser,
    String postgresPassword,
    String appPassword,
    String auditPassword,
    int kafkaPort,
    int elasticsearchPort,
    int commandPort,
    int queryPort,
    String elasticsearchHeap,
    String kafkaHeap,
    String serviceHeap,
    int gatewayPort,
    Optional<String> externalGatewayApiBase,
    String gatewayApiKey,
    String gatewayWebhookSecret,
    int identityPort,
    String identityHeap) {

  /** The settings from flags, then the environment, then defaults. */
  public static StackConfig resolve(Map<String, String> flags, Map<String, String> environment) {
    Settings settings = new Settings(flags, environment);
    Path repo = Path.of(settings.get("repo", ".")).toAbsolutePath().normalize();
    Path home =
        Path.of(settings.get("home", repo.resolve(".ledgerline").toString()))
            .toAbsolutePath()
            .normalize();
    Path downloads =
        Path.of(settings.get("downloads", home.resolve("downloads").toString()))
            .toAbsolutePath()
            .normalize();
    return new StackConfig(
        repo,
        home,
        downloads,
        settings.port("pg-port", 5432),
        Optional.ofNullable(settings.get("postgres-url", null)).filter(url -> !url.isBlank()),
        settings.get("postgres-user", "ledgerline"),
        settings.get("postgres-password", "ledgerline"),
        settings.get("app-password", "ledgerline-app"),
        settings.get("audit-password", "ledgerline-audit"),
        settings.port("kafka-port", 9092),
        settings.port("es-port", 9200),
        settings.port("command-port", 8080),
        settings.port("query-port", 8081),
        settings.get("es-heap", "512m"),
        settings.get("kafka-heap", "256m"),
        settings.get("service-heap", "320m"),
        settings.port("gateway-port", 8090),
        Optional.ofNullable(settings.get("gateway-api-base", null)).filter(url -> !url.isBlank()),
        settings.get("gateway-api-key", GatewaySimulator.DEFAULT_API_KEY),
        settings.get("gateway-webhook-secret", GatewaySimulator.DEFAULT_WEBHOOK_SECRET),
        settings.port("identity-port", 9000),
        settings.get("identity-heap", "128m"));
  }

  /** The JDBC URL the services use. */
  public String jdbcUrl() {
    return externalPostgresUrl.orElse(
        "jdbc:postgresql://127.0.0.1:" + postgresPort + "/ledgerline");
  }

  /** Kafka's bootstrap address. */
  public String kafkaBootstrap() {
    return "127.0.0.1:" + kafkaPort;
  }

  /** Elasticsearch's base URL. */
  public String elasticsearchUrl() {
    return "http://127.0.0.1:" + elasticsearchPort;
  }

  /** The command side's base URL. */
  public String commandUrl() {
    return "http://127.0.0.1:" + commandPort;
  }

  /** The query side's base URL. */
  public String queryUrl() {
    return "http://127.0.0.1:" + queryPort;
  }

  /** The payment gateway's API base: the real one's, else the simulator's. */
  public String gatewayApiBase() {
    return externalGatewayApiBase.orElse("http://127.0.0.1:" + gatewayPort);
  }

  /** Where the simulator sends its webhooks: the command side's endpoint. */
  public String gatewayWebhookUrl() {
    return commandUrl() + "/api/v1/gateway/webhooks";
  }

  /** The identity provider's base URL, which is also its issuer identifier ({@code iss}). */
  public String identityUrl() {
    return "http://127.0.0.1:" + identityPort;
  }

  Path logs() {
    return home.resolve("logs");
  }

  Path run() {
    return home.resolve("run");
  }

  Path data() {
    return home.resolve("data");
  }

  /** Reads one setting: {@code --name} flag, else {@code LEDGERLINE_NAME}, else the default. */
  private record Settings(Map<String, String> flags, Map<String, String> environment) {
    String get(String name, String fallback) {
      if (flags.containsKey(name)) {
        return flags.get(name);
      }
      String variable = "LEDGERLINE_" + name.toUpperCase().replace('-', '_');
      return environment.getOrDefault(variable, fallback);
    }

    int port(String name, int fallback) {
      String value = get(name, Integer.toString(fallback));
      try {
        int port = Integer.parseInt(value);
        if (port < 1 || port > 65535) {
          throw new NumberFormatException();
        }
        return port;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + " must be a port number, not " + value);
      }
    }
  }

  /** Parses {@code --name=value} and {@code --name value} arguments. */
  public static Map<String, String> parseFlags(String[] args, int from) {
    Map<String, String> flags = new HashMap<>();
    for (int i = from; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + arg);
      }
      String name = arg.substring(2);
      int equals = name.indexOf('=');
      if (equals >= 0) {
        flags.put(name.substring(0, equals), name.substring(equals + 1));
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        flags.put(name, args[++i]);
      } else {
        flags.put(name, "true");
      }
    }
    return flags;
  }
}
