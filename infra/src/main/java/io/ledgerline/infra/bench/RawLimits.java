package io.ledgerline.infra.bench;

import io.ledgerline.infra.localstack.StackConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DeleteTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;

/**
 * The raw limits of the stack's parts, measured in the same run as the stack so that the ratio
 * means something on any machine: durable single-row inserts into PostgreSQL, produce to Kafka,
 * document reads from Elasticsearch, and PostgreSQL's own {@code COPY} of the event table.
 */
final class RawLimits {

  /** Bytes of an inserted row's payload and metadata: about what a deposit event stores. */
  static final int PAYLOAD_BYTES = 400;

  static final int METADATA_BYTES = 200;

  /** Bytes of a raw Kafka record. */
  static final int RECORD_BYTES = 1024;

  /** Records the raw Kafka producer has sent but not yet seen acknowledged, at most. */
  static final int KAFKA_IN_FLIGHT = 2_000;

  /** The longest warm-up of a raw phase (see {@link #rawWarmup}). */
  static final Duration RAW_WARMUP_MAX = Duration.ofSeconds(30);

  private final StackConfig config;
  private final Options options;
  private final PrintStream out;

  RawLimits(StackConfig config, Options options, PrintStream out) {
    this.config = config;
    this.options = options;
    this.out = out;
  }

  Connection database() throws SQLException {
    return DriverManager.getConnection(
        config.jdbcUrl(), config.postgresUser(), config.postgresPassword());
  }

  /**
   * {@code clients} connections, each inserting one event-sized row per transaction (autocommit,
   * synchronous commit: as durable as an appended event) into a scratch table shaped like the event
   * table (same unique keys, no hash-chain trigger), dropped afterwards.
   */
  PhaseResult postgresInserts() throws Exception {
    String schema = "ledgerline_bench_" + Long.toString(System.currentTimeMillis(), 36);
    Thread dropOnStop;
    try (Connection setup = database();
        Statement statement = setup.createStatement()) {
      statement.execute("create schema " + schema);
      dropOnStop = whenStopped("scratch schema " + schema, () -> dropSchema(schema));
      statement.execute(
          "create table "
              + schema
              + ".raw_insert (global_index bigserial primary key,"
              + " event_identifier varchar(255) not null unique,"
              + " aggregate_identifier varchar(255) not null, sequence_number bigint not null,"
              + " type varchar(255), time_stamp varchar(255) not null,"
              + " payload_type varchar(255) not null, payload_revision varchar(255),"
              + " payload bytea not null, meta_data bytea,"
              + " unique (aggregate_identifier, sequence_number))");
    }
    Measurement measurement = new Measurement();
    try {
      byte[] payload = new byte[PAYLOAD_BYTES];
      byte[] metadata = new byte[METADATA_BYTES];
      ThreadLocalRandom.current().nextBytes(payload);
      ThreadLocalRandom.current().nextBytes(metadata);
      String sql =
          "insert into "
              + schema
              + ".raw_insert (event_identifier, aggregate_identifier, sequence_number, type,"
              + " time_stamp, payload_type, payload_revision, payload, meta_data) values (?, ?, ?,"
              + " 'Account', ?, 'io.ledgerline.events.FundsDeposited', null, ?, ?)";
      Connection[] connections = new Connection[options.clients()];
      PreparedStatement[] inserts = new PreparedStatement[options.clients()];
      long[] sequences = new long[options.clients()];
      String[] aggregates = new String[options.clients()];
      try {
        for (int c = 0; c < options.clients(); c++) {
          connections[c] = database();
          try (Statement statement = connections[c].createStatement()) {
            statement.execute("set synchronous_commit = on");
          }
          inserts[c] = connections[c].prepareStatement(sql);
          aggregates[c] = UUID.randomUUID().toString();
        }
        Load.closedLoop(
            "raw-postgres",
            options.clients(),
            Load.Warmup.fixed(rawWarmup(options)),
            options.measure(),
            measurement,
            out,
            (client, iteration, http) -> {
              PreparedStatement insert = inserts[client];
              insert.setString(1, UUID.randomUUID().toString());
              insert.setString(2, aggregates[client]);
              insert.setLong(3, sequences[client]++);
              insert.setString(4, Instant.now().toString());
              insert.setBytes(5, payload);
              insert.setBytes(6, metadata);
              long started = System.nanoTime();
              insert.executeUpdate();
              measurement.record(System.nanoTime() - started, "inserted", true);
            });
      } finally {
        for (Connection connection : connections) {
          if (connection != null) {
            connection.close();
          }
        }
      }
    } finally {
      try {
        dropSchema(schema);
      } finally {
        // Even when the drop failed: a second try at exit would most likely fail alike.
        cancel(dropOnStop);
      }
    }
    PhaseResult result =
        new PhaseResult("raw-postgres-inserts", "PostgreSQL durable single-row inserts")
            .from(measurement, options.clients());
    result.unit = "inserts/s";
    result.details.put("payloadBytes", PAYLOAD_BYTES);
    result.details.put("metadataBytes", METADATA_BYTES);
    result.details.put("autocommit", true);
    result.details.put("synchronousCommit", "on");
    result.details.put("warmupSeconds", rawWarmup(options).toSeconds());
    return result;
  }

  /**
   * One producer (acks=all, linger 5 ms) sending 1 KB records as fast as it is acknowledged, to a
   * scratch topic with the event topic's six partitions, deleted afterwards.
   */
  PhaseResult kafkaProduce() throws Exception {
    String topic = "ledgerline.bench." + Long.toString(System.currentTimeMillis(), 36);
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
    Measurement measurement = new Measurement();
    try (AdminClient admin = AdminClient.create(properties)) {
      admin
          .createTopics(List.of(new NewTopic(topic, 6, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
      Thread deleteOnStop =
          whenStopped(
              "scratch topic " + topic,
              () -> {
                // Bounded: with Kafka down, exit waits 30 s at most, not the client's 60 s.
                AdminClient cleanup = AdminClient.create(properties);
                try {
                  cleanup
                      .deleteTopics(List.of(topic), new DeleteTopicsOptions().timeoutMs(30_000))
                      .all()
                      .get(30, TimeUnit.SECONDS);
                } finally {
                  cleanup.close(Duration.ofSeconds(5));
                }
              });
      try {
        Properties producerProperties = new Properties();
        producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        producerProperties.put(
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProperties.put(
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProperties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        byte[] value = new byte[RECORD_BYTES];
        ThreadLocalRandom.current().nextBytes(value);
        // Enough in flight to fill batches, few enough that latency is not time in our own buffer.
        Semaphore inFlight = new Semaphore(KAFKA_IN_FLIGHT);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties)) {
          Load.closedLoop(
              "raw-kafka",
              1,
              Load.Warmup.fixed(rawWarmup(options)),
              options.measure(),
              measurement,
              out,
              (client, iteration, http) -> {
                inFlight.acquire();
                long started = System.nanoTime();
                producer.send(
                    new ProducerRecord<>(topic, "account-" + (iteration % 1000), value),
                    (metadata, exception) -> {
                      inFlight.release();
                      if (exception == null) {
                        measurement.record(System.nanoTime() - started, "acknowledged", true);
                      } else {
                        measurement.record(
                            System.nanoTime() - started,
                            exception.getClass().getSimpleName(),
                            false);
                      }
                    });
              });
          producer.flush();
        }
      } finally {
        try {
          admin.deleteTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
        } finally {
          cancel(deleteOnStop);
        }
      }
    }
    PhaseResult result =
        new PhaseResult("raw-kafka-produce", "Kafka produce, acks=all, linger 5 ms")
            .from(measurement, 1);
    result.unit = "records/s";
    result.details.put("recordBytes", RECORD_BYTES);
    result.details.put("partitions", 6);
    result.details.put("maxInFlight", KAFKA_IN_FLIGHT);
    result.details.put("warmupSeconds", rawWarmup(options).toSeconds());
    result.notes.add("latency: send to acknowledgement, batched, at most 2,000 records in flight");
    return result;
  }

  /**
   * {@code clients} clients reading documents by id straight from Elasticsearch (no service in
   * between): the raw limit under P4's reads by id.
   */
  PhaseResult elasticsearchGets(List<String> accountIds) throws Exception {
    BenchHttp.Target target = BenchHttp.Target.of(config.elasticsearchUrl());
    Measurement measurement = new Measurement();
    Load.closedLoop(
        "raw-elasticsearch",
        options.clients(),
        Load.Warmup.fixed(options.warmupDuration()),
        options.measure(),
        measurement,
        out,
        (client, iteration, http) -> {
          String id = accountIds.get((int) ((client * 7919L + iteration) % accountIds.size()));
          long started = System.nanoTime();
          BenchHttp.Answer answer =
              http.send(target, null, "GET", "/accounts/_doc/" + id, null, null);
          measurement.record(System.nanoTime() - started, answer.label(), answer.ok());
        });
    PhaseResult result =
        new PhaseResult("raw-elasticsearch-get", "Elasticsearch document GET by id")
            .from(measurement, options.clients());
    result.unit = "reads/s";
    return result;
  }

  /**
   * PostgreSQL's own {@code COPY (select ...) TO STDOUT} of the event table, the columns the audit
   * export reads, in its order: the raw limit under the NDJSON export.
   */
  PhaseResult postgresCopy() throws Exception {
    String sql =
        "copy (select global_index, aggregate_identifier, sequence_number, type, payload_type,"
            + " payload_revision, time_stamp, payload, meta_data, hash from domain_event_entry"
            + " order by global_index) to stdout";
    CountingStream counter = new CountingStream();
    long started;
    long ended;
    try (Connection connection = database()) {
      started = System.nanoTime();
      connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, counter);
      ended = System.nanoTime();
    }
    PhaseResult result = new PhaseResult("raw-postgres-copy", "PostgreSQL COPY of the event table");
    result.unit = "rows/s";
    result.clients = 1;
    result.seconds = (ended - started) / 1e9;
    result.done = counter.lines;
    result.rate = result.seconds > 0 ? counter.lines / result.seconds : null;
    result.details.put("bytes", counter.bytes);
    result.details.put("megabytesPerSecond", counter.bytes / 1048576.0 / result.seconds);
    return result;
  }

  /** Events in the store: what P5's rebuild, verification and export go through. */
  long events() throws SQLException {
    try (Connection connection = database();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select count(*) from domain_event_entry")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Counts the lines and bytes written to it. */
  static final class CountingStream extends OutputStream {
    long lines;
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
      if (b == '\n') {
        lines++;
      }
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
      bytes += length;
      for (int i = offset; i < offset + length; i++) {
        if (buffer[i] == '\n') {
          lines++;
        }
      }
    }
  }

  /** PostgreSQL's durability settings and version, for the report. */
  Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    try (Connection connection = database();
        Statement statement = connection.createStatement()) {
      for (String name :
          List.of(
              "server_version",
              "fsync",
              "synchronous_commit",
              "wal_sync_method",
              "shared_buffers")) {
        try (ResultSet row = statement.executeQuery("show " + name)) {
          row.next();
          settings.put(name, row.getString(1));
        }
      }
    } catch (SQLException e) {
      settings.put("error", e.getMessage());
    }
    return settings;
  }

  /**
   * The warm-up of the raw phases that write (PostgreSQL inserts, Kafka produce): {@code --warmup},
   * at most {@link #RAW_WARMUP_MAX}. Their own clients and the servers' caches are warm within
   * seconds; a warm-up sized for the services' JIT (25 minutes, say) ran the raw inserts for as
   * long, and filled gigabytes. The raw Elasticsearch reads write nothing and keep the whole
   * warm-up, as P4's reads that they are compared with.
   */
  static Duration rawWarmup(Options options) {
    Duration warmup = options.warmupDuration();
    return warmup.compareTo(RAW_WARMUP_MAX) > 0 ? RAW_WARMUP_MAX : warmup;
  }

  private void dropSchema(String schema) throws SQLException {
    try (Connection cleanup = database();
        Statement statement = cleanup.createStatement()) {
      statement.execute("drop schema if exists " + schema + " cascade");
    }
  }

  /** What a raw phase's clean-up step does. */
  @FunctionalInterface
  interface Cleanup {
    void run() throws Exception;
  }

  /**
   * Runs {@code cleanup} should the benchmark be stopped (Ctrl-C, {@code kill}) while a raw phase
   * holds a scratch table or topic: a stopped JVM runs no {@code finally}, and a raw phase stopped
   * after fifteen minutes of inserts left a 7.5 GB table behind.
   */
  static Thread whenStopped(String what, Cleanup cleanup) {
    Thread hook =
        new Thread(
            () -> {
              try {
                cleanup.run();
              } catch (Exception e) {
                System.err.println("bench: " + what + " not removed: " + e);
              }
            },
            "bench-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  /** The phase cleaned up itself. */
  static void cancel(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to: it finds nothing left to remove.
    }
  }
}
