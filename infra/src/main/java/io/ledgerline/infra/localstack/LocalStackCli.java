package io.ledgerline.infra.localstack;

import java.io.IOException;
import java.util.Map;

/**
 * {@code infra/bin/ledgerline up | down | status | restart PART | ...} (see {@code --help}): the
 * local stack's command line. Flags such as {@code --pg-port=5433}, {@code --es-heap=1g} or {@code
 * --home=/data/ledgerline} override the environment ({@code LEDGERLINE_PG_PORT} ...), which
 * overrides the defaults.
 */
public final class LocalStackCli {

  private LocalStackCli() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      usage();
      System.exit(2);
    }
    if (HELP_FLAGS.contains(args[0])) {
      System.out.print(help());
      System.exit(0);
    }
    if (!COMMANDS.contains(args[0])) {
      System.err.println("ledgerline: unknown command '" + args[0] + "'\n");
      usage();
      System.exit(2);
    }
    try {
      if (args[0].equals("restart")) {
        String[] flagArgs =
            java.util.Arrays.stream(args, 1, args.length)
                .filter(a -> a.startsWith("--"))
                .toArray(String[]::new);
        String[] parts =
            java.util.Arrays.stream(args, 1, args.length)
                .filter(a -> !a.startsWith("--"))
                .toArray(String[]::new);
        if (parts.length != 1 || !LocalStack.PARTS.contains(parts[0])) {
          System.err.println(
              "usage: infra/bin/ledgerline restart "
                  + String.join("|", LocalStack.PARTS)
                  + " [--flag=value ...]");
          System.exit(2);
        }
        StackConfig config =
            StackConfig.resolve(StackConfig.parseFlags(flagArgs, 0), System.getenv());
        new LocalStack(config, System.out).restart(parts[0]);
        System.exit(0);
      }
      if (args[0].equals("rebuild")) {
        String[] flagArgs =
            java.util.Arrays.stream(args, 1, args.length)
                .filter(a -> a.startsWith("--"))
                .toArray(String[]::new);
        String[] projection =
            java.util.Arrays.stream(args, 1, args.length)
                .filter(a -> !a.startsWith("--"))
                .toArray(String[]::new);
        if (projection.length != 1) {
          usage();
          System.exit(2);
        }
        StackConfig config =
            StackConfig.resolve(StackConfig.parseFlags(flagArgs, 0), System.getenv());
        System.exit(RebuildCommand.run(config, projection[0], System.out) ? 0 : 1);
      }
      if (args[0].equals("verify")) {
        Map<String, String> verifyFlags = StackConfig.parseFlags(args, 1);
        String aggregate = verifyFlags.remove("aggregate");
        StackConfig config = StackConfig.resolve(verifyFlags, System.getenv());
        System.exit(VerifyCommand.run(config, aggregate, System.out) ? 0 : 1);
      }
      if (args[0].equals("token")) {
        Map<String, String> tokenFlags = StackConfig.parseFlags(args, 1);
        String role = tokenFlags.remove("role");
        String subject = tokenFlags.remove("sub");
        long ttl = Long.parseLong(tokenFlags.getOrDefault("ttl", "3600"));
        tokenFlags.remove("ttl");
        if (role == null || subject == null) {
          System.err.println(
              "usage: infra/bin/ledgerline token --role customer|operator|auditor|admin --sub SUBJECT [--ttl SECONDS]");
          System.exit(2);
        }
        StackConfig config = StackConfig.resolve(tokenFlags, System.getenv());
        System.out.println(
            new DevTokens(config)
                .issue(
                    subject,
                    java.util.List.of(role.split(",")),
                    java.time.Duration.ofSeconds(ttl)));
        System.exit(0);
      }
      Map<String, String> flags = StackConfig.parseFlags(args, 1);
      StackConfig config = StackConfig.resolve(flags, System.getenv());
      LocalStack stack = new LocalStack(config, System.out);
      switch (args[0]) {
        case "up" -> {
          long started = System.nanoTime();
          stack.up();
          printWelcome(config, (System.nanoTime() - started) / 1e9);
        }
        case "down" -> stack.down();
        case "status" -> {
          stack.status().forEach(System.out::println);
          System.exit(stack.isUp() ? 0 : 3);
        }
        default -> {
          usage();
          System.exit(2);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.exit(130);
    } catch (IOException | RuntimeException e) {
      System.err.println("ledgerline: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void printWelcome(StackConfig config, double seconds) {
    System.out.printf(
        """

        Ledgerline is up (%.1f s).

          command API   %s/api/v1        (OpenAPI: %s/v3/api-docs)
          query API     %s/api/v1        (OpenAPI: %s/v3/api-docs)
          PostgreSQL    %s  (user %s)
          Kafka         %s
          Elasticsearch %s
          data and logs %s

        Get a token (roles: customer, operator, auditor, admin), then try it:
          TOKEN=$(infra/bin/ledgerline token --role customer --sub alice)
          curl -si -X POST %s/api/v1/accounts -H "Authorization: Bearer $TOKEN" \
               -H 'Content-Type: application/json' -d '{"currency":"EUR"}'
          curl -s %s/api/v1/accounts/<accountId> -H "Authorization: Bearer $TOKEN"

        Stop it with: infra/bin/ledgerline down
        """,
        seconds,
        config.commandUrl(),
        config.commandUrl(),
        config.queryUrl(),
        config.queryUrl(),
        config.jdbcUrl(),
        config.postgresUser(),
        config.kafkaBootstrap(),
        config.elasticsearchUrl(),
        config.home(),
        config.commandUrl(),
        config.queryUrl());
  }

  /** What {@code --help} lists: every subcommand, one line each. */
  private static final java.util.List<String> COMMANDS =
      java.util.List.of("up", "down", "status", "restart", "token", "verify", "bench", "rebuild");

  private static final java.util.Set<String> HELP_FLAGS = java.util.Set.of("--help", "-h", "help");

  private static void usage() {
    System.err.print(help());
  }

  /** The help text: every subcommand with one line, then the flags. */
  static String help() {
    return """
        usage: infra/bin/ledgerline COMMAND [ARGUMENT] [--flag=value ...]

          up                 build if needed (skip with --no-build), start PostgreSQL, Kafka,
                             Elasticsearch and both services, and wait until all are healthy
          down               stop everything 'up' started, services and their supervisors first
          status             show each part: running or not, PID, URL, restarts, readiness, log
          restart PART       stop (or clean up after a crash) a part, start it, wait until healthy;
                             PART: postgres, kafka, elasticsearch, command-side or query-side
          token              print a development token: --role R --sub S [--ttl SECONDS]
          verify             check the event store's hash chains and checkpoints [--aggregate ID]
          bench              measure the running stack against the raw limits of its parts
          rebuild PROJECTION rebuild a read model (accounts, transfers) from the event store
          --help             show this help

        flags (or environment LEDGERLINE_<FLAG>):
          --home DIR            data, logs and pid files       (default .ledgerline)
          --downloads DIR       downloaded distributions       (default <home>/downloads)
          --pg-port N           embedded PostgreSQL            (default 5432)
          --postgres-url URL    use an external PostgreSQL (JDBC URL) instead
          --postgres-user U / --postgres-password P            (default ledgerline)
          --kafka-port N        (controller on N+1)            (default 9092)
          --es-port N           (transport on N+100)           (default 9200)
          --command-port N      (default 8080)   --query-port N (default 8081)
          --es-heap SIZE (512m)  --kafka-heap SIZE (384m)  --service-heap SIZE (320m)

        Services run under infra/bin/supervise, which restarts them when they exit unexpectedly
        (heap dumps of out-of-memory exits in <home>/logs). Exit status: 0 done, 1 failed,
        2 usage error, 3 'status' found a part not running.
        """;
  }
}
