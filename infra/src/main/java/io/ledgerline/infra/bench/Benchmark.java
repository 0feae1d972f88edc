package io.ledgerline.infra.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code infra/bin/ledgerline bench}: measures the running stack and, in the same run, the raw
 * limits under it, and prints both with their ratio. Nothing here asserts a time: the figures are
 * for people to read and compare between runs.
 */
public final class Benchmark {

  private static final Pattern BALANCE_VERSION = Pattern.compile("\"version\":(\\d+)");
  private static final Pattern ACCOUNT_ID = Pattern.compile("\"accountId\":\"([^\"]+)\"");
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final long MAX_FRESHNESS_WAIT_NANOS = Duration.ofSeconds(30).toNanos();

  private final String commandUrl;
  private final String queryUrl;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final String kafka;
  private final int clients;
  private final Duration duration;
  private final String token;

  private Benchmark(Map<String, String> settings) {
    this.commandUrl = settings.getOrDefault("command-url", "http://127.0.0.1:8080");
    this.queryUrl = settings.getOrDefault("query-url", "http://127.0.0.1:8081");
    this.jdbcUrl = settings.getOrDefault("jdbc-url", "jdbc:postgresql://127.0.0.1:5432/ledgerline");
    this.user = settings.getOrDefault("postgres-user", "ledgerline");
    this.password = settings.getOrDefault("postgres-password", "ledgerline");
    this.kafka = settings.getOrDefault("kafka", "127.0.0.1:9092");
    this.clients = Integer.parseInt(settings.getOrDefault("clients", "16"));
    this.duration = Duration.ofSeconds(Long.parseLong(settings.getOrDefault("seconds", "15")));
    this.token = settings.getOrDefault("token", "");
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> settings = new java.util.HashMap<>();
    for (String arg : args) {
      if (arg.startsWith("--") && arg.contains("=")) {
        settings.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      }
    }
    new Benchmark(settings).run();
  }

  private void run() throws Exception {
    System.out.printf(
        "Ledgerline benchmark: %d clients, %d s per throughput phase, %d cores%n%n",
        clients, duration.toSeconds(), Runtime.getRuntime().availableProcessors());
    double rawInserts = rawPostgresInserts();
    System.out.printf(
        "raw PostgreSQL: %,.0f single-row durable inserts/s (%d clients)%n", rawInserts, clients);
    double rawKafka = rawKafkaProduce();
    System.out.printf("raw Kafka:      %,.0f records/s produced (acks=all, batched)%n", rawKafka);
    Throughput deposits = deposits();
    System.out.printf(
        "deposits:       %,.0f commands/s over HTTP (%d clients); latency p50 %.1f ms, p99 %.1f ms; %d errors%n",
        deposits.perSecond, clients, deposits.p50, deposits.p99, deposits.errors);
    System.out.printf(
        "  ratio deposits / raw PostgreSQL inserts: %.2f%n", deposits.perSecond / rawInserts);
    Freshness freshness = freshness(300);
    System.out.printf(
        "freshness:      command accepted -> visible in the query API: median %.0f ms, p95 %.0f ms, worst %.0f ms (%d commands)%n",
        freshness.median, freshness.p95, freshness.worst, freshness.samples);
  }

  private double rawPostgresInserts() throws Exception {
    try (Connection setup = DriverManager.getConnection(jdbcUrl, user, password);
        Statement statement = setup.createStatement()) {
      statement.execute(
          "create table if not exists bench_raw_insert (id bigserial primary key, aggregate_id varchar(255),"
              + " sequence_number bigint, payload bytea, meta_data bytea, time_stamp varchar(255))");
    }
    byte[] payload = new byte[300];
    AtomicLong rows = new AtomicLong();
    long deadline = System.nanoTime() + duration.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      workers.add(
          pool.submit(
              () -> {
                try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
                    PreparedStatement insert =
                        connection.prepareStatement(
                            "insert into bench_raw_insert (aggregate_id, sequence_number, payload, meta_data, time_stamp)"
                                + " values (?, ?, ?, ?, ?)")) {
                  long sequence = 0;
                  while (System.nanoTime() < deadline) {
                    insert.setString(1, "bench-" + client);
                    insert.setLong(2, sequence++);
                    insert.setBytes(3, payload);
                    insert.setBytes(4, payload);
                    insert.setString(5, java.time.Instant.now().toString());
                    insert.executeUpdate();
                    rows.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    long started = System.nanoTime();
    for (Future<?> worker : workers) {
      worker.get();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    pool.shutdown();
    try (Connection setup = DriverManager.getConnection(jdbcUrl, user, password);
        Statement statement = setup.createStatement()) {
      statement.execute("drop table bench_raw_insert");
    }
    return rows.get() / seconds;
  }

  private double rawKafkaProduce() throws Exception {
    String topic = "ledgerline.bench." + System.nanoTime();
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    try (AdminClient admin = AdminClient.create(properties)) {
      admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
      properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      properties.put(
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      properties.put(ProducerConfig.ACKS_CONFIG, "all");
      properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      byte[] value = new byte[300];
      int records = 200_000;
      long started = System.nanoTime();
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties)) {
        for (int i = 0; i < records; i++) {
          producer.send(new ProducerRecord<>(topic, "key-" + (i % 1000), value));
        }
        producer.flush();
      }
      double rate = records / ((System.nanoTime() - started) / 1e9);
      admin.deleteTopics(List.of(topic)).all().get();
      return rate;
    }
  }

  private record Throughput(double perSecond, double p50, double p99, long errors) {}

  private Throughput deposits() throws Exception {
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < clients * 4; i++) {
      accounts.add(openAccount());
    }
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicLong errors = new AtomicLong();
    long deadline = System.nanoTime() + duration.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      workers.add(
          pool.submit(
              () -> {
                int i = 0;
                while (System.nanoTime() < deadline) {
                  String account = accounts.get((client * 4 + (i++ % 4)) % accounts.size());
                  long start = System.nanoTime();
                  var response =
                      post(
                          commandUrl + "/api/v1/accounts/" + account + "/deposits",
                          "{\"amount\":1}");
                  latencies.add(System.nanoTime() - start);
                  if (response.statusCode() != 200) {
                    errors.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    long started = System.nanoTime();
    for (Future<?> worker : workers) {
      worker.get();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    pool.shutdown();
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return new Throughput(
        sorted.size() / seconds,
        percentile(sorted, 50) / 1e6,
        percentile(sorted, 99) / 1e6,
        errors.get());
  }

  private record Freshness(double median, double p95, double worst, int samples) {}

  private Freshness freshness(int samples) throws Exception {
    String account = openAccount();
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      var response =
          post(commandUrl + "/api/v1/accounts/" + account + "/deposits", "{\"amount\":1}");
      long accepted = System.nanoTime();
      long version = Long.parseLong(match(BALANCE_VERSION, response.body()).orElseThrow());
      while (true) {
        var read =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(queryUrl + "/api/v1/accounts/" + account))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Authorization", "Bearer " + token)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        Optional<String> seen = match(BALANCE_VERSION, read.body());
        if (read.statusCode() == 200 && seen.isPresent() && Long.parseLong(seen.get()) >= version) {
          break;
        }
        if (System.nanoTime() - accepted > MAX_FRESHNESS_WAIT_NANOS) {
          throw new IllegalStateException(
              "version "
                  + version
                  + " not visible after 30 s; last answer "
                  + read.statusCode()
                  + " "
                  + read.body());
        }
        // Polls at most ~200 times a second: below the per-client rate limit.
        Thread.sleep(5);
      }
      delays.add(System.nanoTime() - accepted);
    }
    Collections.sort(delays);
    return new Freshness(
        percentile(delays, 50) / 1e6,
        percentile(delays, 95) / 1e6,
        delays.get(delays.size() - 1) / 1e6,
        samples);
  }

  private String openAccount() throws Exception {
    var response =
        post(commandUrl + "/api/v1/accounts", "{\"currency\":\"EUR\",\"ownerId\":\"bench\"}");
    return match(ACCOUNT_ID, response.body())
        .orElseThrow(() -> new IllegalStateException(response.body()));
  }

  private HttpResponse<String> post(String url, String json) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Optional<String> match(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  private static long percentile(List<Long> sorted, int percentile) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
