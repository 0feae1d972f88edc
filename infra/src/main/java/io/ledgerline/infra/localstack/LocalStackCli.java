package io.ledgerline.infra.localstack;

import io.ledgerline.infra.images.ImagesCommand;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code infra/bin/ledgerline up | down | status | restart PART | ...} (see {@code --help}): the
 * local stack's command line. Flags such as {@code --pg-port=5433}, {@code --es-heap=1g} or {@code
 * --home=/data/ledgerline} override the environment ({@code LEDGERLINE_PG_PORT} ...), which
 * overrides the defaults.
 */
public final class LocalStackCli {

  private LocalStackCli() {}

  public static void main(String[] args) {
    // The wrapper passes --repo after the command, so no command arrives as an empty one.
    if (args.length == 0 || args[0].isEmpty()) {
      usage();
      System.exit(2);
    }
    if (!HELP_FLAGS.contains(args[0]) && !COMMANDS.contains(args[0])) {
      System.err.println("ledgerline: unknown command '" + args[0] + "'\n");
      usage();
      System.exit(2);
    }
    // Before anything runs: 'down --help' must explain down, not stop the stack.
    Optional<String> help = helpFor(args);
    if (help.isPresent()) {
      System.out.print(help.get());
      System.exit(0);
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
          System.err.print(help("restart"));
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
          System.err.print(help("rebuild"));
          System.exit(2);
        }
        StackConfig config =
            StackConfig.resolve(StackConfig.parseFlags(flagArgs, 0), System.getenv());
        System.exit(RebuildCommand.run(config, projection[0], System.out) ? 0 : 1);
      }
      if (args[0].equals("images")) {
        Map<String, String> imageFlags = StackConfig.parseFlags(args, 1);
        StackConfig config = StackConfig.resolve(imageFlags, System.getenv());
        System.exit(
            ImagesCommand.run(config.repo(), config.home(), imageFlags, System.out) ? 0 : 1);
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
          System.err.print(help("token"));
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
          dashboard     %s/              (sign in as olivia / olivia-local, or paste a token)
          metrics       %s/actuator/prometheus and %s/actuator/prometheus
          PostgreSQL    %s  (user %s)
          Kafka         %s
          Elasticsearch %s
          gateway       %s
          identity      %s  (OpenID Connect provider; local users below)
          data and logs %s

        Get a token (roles: customer, operator, auditor, admin), then try it:
          TOKEN=$(infra/bin/ledgerline token --role customer --sub alice)
          curl -si -X POST %s/api/v1/accounts -H "Authorization: Bearer $TOKEN" \\
               -H 'Content-Type: application/json' -d '{"currency":"EUR"}'
          curl -s %s/api/v1/accounts/<accountId> -H "Authorization: Bearer $TOKEN"

        Or a token of the identity provider (5 minutes), for a machine client (role operator):
          TOKEN=$(curl -s -u ledgerline-machine:machine-local-secret \\
               -d grant_type=client_credentials %s/oauth2/token \\
               | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
        Its users (for local use only; password <name>-local, e.g. alice-local): alice and bob
        (customer), olivia (operator), audrey (auditor), adam (admin).

        Stop it with: infra/bin/ledgerline down
        """,
        seconds,
        config.commandUrl(),
        config.commandUrl(),
        config.queryUrl(),
        config.queryUrl(),
        config.queryUrl(),
        config.commandUrl(),
        config.queryUrl(),
        config.jdbcUrl(),
        config.postgresUser(),
        config.kafkaBootstrap(),
        config.elasticsearchUrl(),
        config.externalGatewayApiBase().isPresent()
            ? config.gatewayApiBase() + "  (a real payment gateway)"
            : config.gatewayApiBase()
                + "  (payment gateway simulator; faults: POST /_simulator/mode)",
        config.identityUrl(),
        config.home(),
        config.commandUrl(),
        config.queryUrl(),
        config.identityUrl());
  }

  /** What {@code --help} lists: every subcommand, one line each. */
  private static final java.util.List<String> COMMANDS =
      java.util.List.of(
          "up", "down", "status", "restart", "token", "verify", "bench", "rebuild", "images");

  private static final java.util.Set<String> HELP_FLAGS = java.util.Set.of("--help", "-h", "help");

  /** After a command, only these ask for its help: "help" could be a projection's name. */
  private static final java.util.Set<String> COMMAND_HELP_FLAGS = java.util.Set.of("--help", "-h");

  private static void usage() {
    System.err.print(help());
  }

  /**
   * The help {@code args} ask for, if they do: {@code --help} alone lists every subcommand, {@code
   * <command> --help} (or {@code -h}, anywhere after it) explains that one.
   */
  static Optional<String> helpFor(String[] args) {
    if (args.length == 0) {
      return Optional.empty();
    }
    if (HELP_FLAGS.contains(args[0])) {
      return Optional.of(help());
    }
    for (int i = 1; i < args.length; i++) {
      if (COMMAND_HELP_FLAGS.contains(args[i])) {
        return Optional.of(help(args[0]));
      }
    }
    return Optional.empty();
  }

  /**
   * One subcommand's help: its usage line, what it does, and where the stack's flags are listed.
   * {@code bench} is the benchmark's own program and prints its own.
   */
  static String help(String command) {
    String body =
        switch (command) {
          case "up" ->
              """
              usage: infra/bin/ledgerline up [--no-build] [--flag=value ...]

              Builds Ledgerline (./mvnw -DskipTests package; --no-build skips it), starts
              PostgreSQL, Kafka, Elasticsearch, the payment gateway simulator, the identity
              provider, the command side and the query side (each unless it runs already), waits
              until every part is healthy and prints where each API is and the local users.
              """;
          case "down" ->
              """
              usage: infra/bin/ledgerline down [--flag=value ...]

              Stops everything 'up' started, by recorded PID: both services with their
              supervisors first, then the identity provider, the gateway simulator, Kafka,
              Elasticsearch and PostgreSQL. The data stays in <home>/data, so the next 'up'
              carries on from it.
              """;
          case "status" ->
              """
              usage: infra/bin/ledgerline status [--flag=value ...]

              One line per part: running or not, PID, address, health (PostgreSQL and Kafka
              accept connections, Elasticsearch's cluster colour, the gateway simulator's
              /health, a service's readiness probe), restarts and log. Under each service its
              lag: the command side's event processors (from its metrics), the query side's
              projections (GET /api/v1/projections, with an operator token minted from the
              stack's key). A part that is down shows "down", a figure that cannot be read
              "unknown". Exit status 3 when a part is not running.
              """;
          case "restart" ->
              "usage: infra/bin/ledgerline restart "
                  + String.join("|", LocalStack.PARTS)
                  + " [--flag=value ...]\n"
                  + """

                  Stops the part (or cleans up after it was killed: stale PID and lock files,
                  ports still held), starts it again and waits until it is healthy, or fails with
                  its log's tail. A service is stopped with its supervisor, so it never runs twice.
                  """;
          case "token" ->
              """
              usage: infra/bin/ledgerline token --role ROLE[,ROLE] --sub SUBJECT [--ttl SECONDS]

              Prints a development token (RS256, issuer ledgerline-local) signed with the stack's
              key in <home>/security, for SUBJECT with the roles given (customer, operator,
              auditor, admin), valid for --ttl seconds (default 3600).
              """;
          case "verify" ->
              """
              usage: infra/bin/ledgerline verify [--aggregate ID] [--flag=value ...]

              Has the query side's audit API recompute every hash chain and check the signed
              checkpoints (or one aggregate's chain), with an auditor token minted from the
              stack's key. Prints the report and its verdict; exit status 1 when history was
              altered.
              """;
          case "rebuild" ->
              """
              usage: infra/bin/ledgerline rebuild accounts|transfers|topups|transactions [--flag=value ...]

              Rebuilds a read model from the event store into a new index while the old one
              keeps serving, and switches to it only after a parity check. Authenticates itself
              with an admin token minted from the stack's key; prints the progress until the
              rebuild ends. Exit status 1 when it failed.
              """;
          case "images" ->
              """
              usage: infra/bin/ledgerline images [--base=auto|registry|local] [--jdk=DIR]

              Builds both services' container images with Jib into
              <module>/target/jib-image.tar: on eclipse-temurin, or on the local JDK (--jdk,
              default the one running) when no registry answers (--base=auto).
              """;
          default -> help();
        };
    return body.equals(help())
        ? body
        : body + "\nThe stack's flags (--home, --query-port, ...): infra/bin/ledgerline --help\n";
  }

  /** The help text: every subcommand with one line, then the flags. */
  static String help() {
    return """
        usage: infra/bin/ledgerline COMMAND [ARGUMENT] [--flag=value ...]

          up                 build if needed (skip with --no-build), start PostgreSQL, Kafka,
                             Elasticsearch, the gateway simulator, the identity provider and both
                             services, and wait until all are healthy
          down               stop everything 'up' started, services and their supervisors first
          status             show each part: running or not, PID, address, health, restarts, log,
                             and each service's lag (event processors, projections)
          restart PART       stop (or clean up after a crash) a part, start it, wait until healthy;
                             PART: postgres, kafka, elasticsearch, gateway, identity-provider,
                             command-side or query-side
          token              print a development token: --role R --sub S [--ttl SECONDS]
          verify             check the event store's hash chains and checkpoints [--aggregate ID]
          bench              measure the running stack against the raw limits of its parts
          rebuild PROJECTION rebuild a read model (accounts, transfers, topups, transactions)
          images             build both services' container images (<module>/target/jib-image.tar)
                             on eclipse-temurin, or on the local JDK when no registry answers
                             [--base=auto|registry|local] [--jdk=DIR]
          --help             show this help; COMMAND --help explains one command

        flags (or environment LEDGERLINE_<FLAG>):
          --home DIR            data, logs and pid files       (default .ledgerline)
          --downloads DIR       downloaded distributions       (default <home>/downloads)
          --pg-port N           embedded PostgreSQL            (default 5432)
          --postgres-url URL    use an external PostgreSQL (JDBC URL) instead
          --postgres-user U / --postgres-password P            (default ledgerline)
          --kafka-port N        (controller on N+1)            (default 9092)
          --es-port N           (transport on N+100)           (default 9200)
          --command-port N      (default 8080)   --query-port N (default 8081)
          --es-heap SIZE (512m)  --kafka-heap SIZE (256m)  --service-heap SIZE (320m)
          --gateway-port N      payment gateway simulator      (default 8090)
          --gateway-api-base URL  use a real gateway (https://api.stripe.com) instead, with
          --gateway-api-key K / --gateway-webhook-secret S     (the command side's too)
          --identity-port N     OpenID Connect provider        (default 9000)
          --identity-heap SIZE  its JVM heap                   (default 128m)

        Services run under infra/bin/supervise, which restarts them when they exit unexpectedly
        (heap dumps of out-of-memory exits in <home>/logs). Exit status: 0 done, 1 failed,
        2 usage error, 3 'status' found a part not running.
        """;
  }
}
