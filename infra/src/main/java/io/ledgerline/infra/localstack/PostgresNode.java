package io.ledgerline.infra.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipFile;

/**
 * PostgreSQL 14 from Zonky's server binaries on Maven Central, run with {@code pg_ctl}. The first
 * start initialises a cluster and creates the {@code ledgerline} role and database.
 */
public final class PostgresNode {

  static final String NAME = "postgres";

  /** The command side's role: may append events, never change or delete them. */
  public static final String APP_ROLE = "ledgerline_app";

  /** The query side's role: may only read the event store. */
  public static final String AUDIT_ROLE = "ledgerline_audit";

  private static final Duration PORT_TIMEOUT = Duration.ofSeconds(30);

  private final StackConfig config;
  private final Downloads downloads;
  private final Processes processes;
  private final Log log;

  PostgresNode(StackConfig config, Downloads downloads, Processes processes, Log log) {
    this.config = config;
    this.downloads = downloads;
    this.processes = processes;
    this.log = log;
  }

  Path dataDir() {
    return config.data().resolve("postgres");
  }

  Path logFile() {
    return config.logs().resolve("postgres.log");
  }

  boolean isRunning() {
    return processes.running(NAME).isPresent();
  }

  void start() throws IOException {
    if (isRunning()) {
      log.step("PostgreSQL already running on port " + config.postgresPort());
      return;
    }
    Optional<ProcessHandle> unrecorded = postmaster();
    if (unrecorded.isPresent()) {
      // Started but not recorded (an interrupted start): adopt it rather than start a second one.
      processes.recordPid(NAME, unrecorded.get().pid());
      log.step("PostgreSQL already running on port " + config.postgresPort());
      return;
    }
    cleanUpAfterCrash();
    Processes.awaitPortsFree("PostgreSQL", List.of(config.postgresPort()), PORT_TIMEOUT, log);
    Path binaries = binaries();
    if (!Files.exists(dataDir().resolve("PG_VERSION"))) {
      initialise(binaries);
    }
    ensureRoles(binaries);
    Files.createDirectories(config.logs());
    if (!Files.exists(logFile())) {
      Files.createFile(logFile());
    }
    Processes.giveToServiceUser(logFile());
    PartState.countStart(config, NAME);
    log.step("Starting PostgreSQL on port " + config.postgresPort());
    try {
      Processes.run(
          Processes.asServiceUser(
              List.of(
                  binaries.resolve("bin/pg_ctl").toString(),
                  "-D",
                  dataDir().toString(),
                  "-l",
                  logFile().toString(),
                  "-o",
                  "-p "
                      + config.postgresPort()
                      + " -c listen_addresses=127.0.0.1 -c unix_socket_directories="
                      + dataDir(),
                  "-w",
                  "-t",
                  "60",
                  "start")),
          dataDir(),
          Map.of());
    } catch (IOException e) {
      throw Processes.failure("PostgreSQL did not start: " + e.getMessage(), logFile());
    }
    String pid = Files.readAllLines(postmasterPid()).get(0).trim();
    processes.recordPid(NAME, Long.parseLong(pid));
  }

  private Path postmasterPid() {
    return dataDir().resolve("postmaster.pid");
  }

  /** The postmaster named by the data folder's {@code postmaster.pid}, if it runs and is ours. */
  private Optional<ProcessHandle> postmaster() {
    try {
      return processes.ours(Long.parseLong(Files.readAllLines(postmasterPid()).get(0).trim()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // No file, or one without a PID.
    }
  }

  /**
   * Removes what a killed postmaster leaves behind, once it and its backends are really gone: a
   * stale PID file, {@code postmaster.pid} and the socket lock file (a recycled PID in them would
   * make PostgreSQL refuse to start).
   */
  private void cleanUpAfterCrash() throws IOException {
    processes.forgetIfGone(NAME);
    if (Files.exists(postmasterPid())) {
      Processes.awaitNoProcessIn(
          "PostgreSQL", dataDir(), binariesFolder().resolve("bin/postgres"), PORT_TIMEOUT);
      Files.deleteIfExists(postmasterPid());
      Files.deleteIfExists(dataDir().resolve(".s.PGSQL." + config.postgresPort() + ".lock"));
      Files.deleteIfExists(dataDir().resolve(".s.PGSQL." + config.postgresPort()));
    }
  }

  /** Waits until the postmaster accepts connections; fails at once when it is gone. */
  void awaitReady(Duration timeout) throws IOException {
    Processes.await(
        "PostgreSQL",
        timeout,
        logFile(),
        () -> {
          if (!isRunning()) {
            throw Processes.failure("PostgreSQL is not running", logFile());
          }
          return Probes.portOpen(config.postgresPort());
        });
  }

  /** Kills the postmaster with SIGKILL, as a crash would; returns its PID if it ran. */
  Optional<Long> kill() {
    return processes.kill(NAME);
  }

  void stop() throws IOException {
    Path pgCtl = binariesFolder().resolve("bin/pg_ctl");
    // Stopping never downloads: without pg_ctl the postmaster is signalled by its PID.
    if (isRunning() && Files.exists(pgCtl)) {
      try {
        Processes.run(
            Processes.asServiceUser(
                List.of(pgCtl.toString(), "-D", dataDir().toString(), "-m", "fast", "-w", "stop")),
            dataDir(),
            Map.of());
      } catch (IOException e) {
        log.step("pg_ctl stop failed, signalling PostgreSQL: " + e.getMessage());
      }
    }
    processes.stop(NAME, Duration.ofSeconds(30));
  }

  private void initialise(Path binaries) throws IOException {
    log.step("Initialising a PostgreSQL cluster in " + dataDir());
    Downloads.deleteRecursively(dataDir());
    Files.createDirectories(dataDir());
    Processes.giveToServiceUser(dataDir());
    Processes.run(
        Processes.asServiceUser(
            List.of(
                binaries.resolve("bin/initdb").toString(),
                "-D",
                dataDir().toString(),
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--no-instructions")),
        dataDir(),
        Map.of());
    // Single-user mode runs SQL without a client binary: one statement per line.
    String user = config.postgresUser().replace("\"", "");
    String password = config.postgresPassword().replace("'", "''");
    String setup =
        "CREATE ROLE \""
            + user
            + "\" LOGIN PASSWORD '"
            + password
            + "';\n"
            + "CREATE DATABASE ledgerline OWNER \""
            + user
            + "\";\n";
    singleUser(binaries, setup);
  }

  /**
   * Creates the services' least-privilege roles when missing (also in clusters made before they
   * existed). Runs in single-user mode, before the server starts: one statement per line.
   */
  private void ensureRoles(Path binaries) throws IOException {
    StringBuilder sql = new StringBuilder();
    for (String[] role :
        new String[][] {{APP_ROLE, config.appPassword()}, {AUDIT_ROLE, config.auditPassword()}}) {
      sql.append("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '")
          .append(role[0])
          .append("') THEN CREATE ROLE ")
          .append(role[0])
          .append(" LOGIN PASSWORD '")
          .append(role[1].replace("'", "''"))
          .append("'; END IF; END $$;\n");
    }
    singleUser(binaries, sql.toString());
  }

  private void singleUser(Path binaries, String sql) throws IOException {
    Path script = dataDir().resolve("setup.sql");
    Files.writeString(script, sql);
    Processes.run(
        List.of(
            "sh",
            "-c",
            String.join(
                    " ",
                    Processes.asServiceUser(
                        List.of(
                            binaries.resolve("bin/postgres").toString(),
                            "--single",
                            "-D",
                            dataDir().toString(),
                            "-c",
                            "exit_on_error=true",
                            "postgres")))
                + " < "
                + script),
        dataDir(),
        Map.of());
    Files.delete(script);
  }

  /** Unpacks the server binaries once into the downloads folder. */
  private Path binariesFolder() {
    return config.downloads().resolve("postgres-" + Versions.POSTGRES_BINARIES);
  }

  private Path binaries() throws IOException {
    Path target = binariesFolder();
    if (Files.exists(target.resolve("bin/postgres"))) {
      return target;
    }
    Path jar = downloads.postgresBinariesJar();
    Path staging =
        config.downloads().resolve("postgres-" + Versions.POSTGRES_BINARIES + ".partial");
    Downloads.deleteRecursively(staging);
    Files.createDirectories(staging);
    Path archive = staging.resolve("postgres.txz");
    try (ZipFile zip = new ZipFile(jar.toFile());
        InputStream in = zip.getInputStream(zip.getEntry("postgres-linux-x86_64.txz"))) {
      Files.copy(in, archive);
    }
    Processes.run(
        List.of("tar", "-xJf", archive.toString(), "-C", staging.toString()), staging, Map.of());
    Files.delete(archive);
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }
}
