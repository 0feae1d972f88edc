package io.ledgerline.infra.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for Stripe's payment API on the local stack: the subset Ledgerline's gateway client
 * uses, in Stripe's wire format, with webhooks signed as Stripe signs them and faults to inject.
 * JDK only; run as its own small JVM by the launcher ({@code ledgerline up}), or in-process by
 * tests through {@link #start}.
 *
 * <p>The API ({@code Authorization: Bearer <api key>}, form-encoded bodies, JSON answers, Stripe's
 * error objects and statuses, {@code Idempotency-Key} honoured on every {@code POST}: the same key
 * and parameters replay the first answer, the same key with other parameters is a 400 {@code
 * idempotency_error}):
 *
 * <ul>
 *   <li>{@code POST /v1/payment_intents}: {@code amount}, {@code currency}, {@code metadata[k]},
 *       {@code payment_method_types[n]}, {@code description}
 *   <li>{@code GET /v1/payment_intents/{id}}
 *   <li>{@code POST /v1/payment_intents/{id}/confirm}: what the customer's browser does with the
 *       client secret ({@code client_secret} stands in for the API key); {@code payment_method}
 *       {@code pm_card_chargeDeclined} (and Stripe's other declining test cards) declines
 * </ul>
 *
 * <p>A confirmation sends {@code payment_intent.succeeded} or {@code payment_intent.payment_failed}
 * to the webhook URL (see {@link WebhookSender}). Controls, without a key: {@code GET|POST
 * /_simulator/mode} (see {@link FaultModes}), {@code POST /_simulator/reset}, {@code GET
 * /_simulator/webhooks} (every delivery attempt, with its payload and signature), {@code GET
 * /_simulator/requests} (every API call), {@code POST /_simulator/payment_intents/{id}/succeed} and
 * {@code .../fail} (the customer pays, or the card is declined). {@code GET /health} answers 200.
 */
public final class GatewaySimulator implements AutoCloseable {

  /** The launcher's defaults, shared with the command side it configures. */
  public static final String DEFAULT_API_KEY = "sk_test_local_development";

  public static final String DEFAULT_WEBHOOK_SECRET = "whsec_local_development";

  /**
   * Environment variables the simulator's process reads its secrets from (not the command line).
   */
  public static final String API_KEY_VARIABLE = "LEDGERLINE_SIMULATOR_API_KEY";

  public static final String WEBHOOK_SECRET_VARIABLE = "LEDGERLINE_SIMULATOR_WEBHOOK_SECRET";

  private static final int MAX_BODY = 64 * 1024;
  private static final int KEPT_REQUESTS = 1_000;
  private static final int MAX_IDEMPOTENCY_KEY = 255;

  private static final Pattern INTENT = Pattern.compile("/v1/payment_intents/([A-Za-z0-9_]+)");
  private static final Pattern CONFIRM =
      Pattern.compile("/v1/payment_intents/([A-Za-z0-9_]+)/confirm");
  private static final Pattern COMPLETE =
      Pattern.compile("/_simulator/payment_intents/([A-Za-z0-9_]+)/(succeed|fail)");

  /**
   * How to run.
   *
   * @param port the port on 127.0.0.1 (0 for any free one)
   * @param apiKey the secret key clients must present ({@code sk_test_...})
   * @param webhookSecret the webhook endpoint's signing secret ({@code whsec_...})
   * @param webhookUrl where events are sent, or null to only record them
   */
  public record Settings(int port, String apiKey, String webhookSecret, URI webhookUrl) {

    public Settings {
      if (apiKey == null || apiKey.isBlank() || webhookSecret == null || webhookSecret.isBlank()) {
        throw new IllegalArgumentException("the simulator needs an API key and a webhook secret");
      }
    }
  }

  /** A remembered answer to an {@code Idempotency-Key}. */
  private record Remembered(String request, int status, String body) {}

  private final Settings settings;
  private final Consumer<String> log;
  private final HttpServer server;
  private final ExecutorService workers;
  private final FaultModes modes = new FaultModes();
  private final PaymentIntents intents = new PaymentIntents();
  private final WebhookSender webhooks;
  // The newest keys only (Stripe keeps them 24 hours), so a long run fits the small heap.
  private final Map<String, Remembered> idempotency =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
          return size() > PaymentIntents.KEPT_INTENTS;
        }
      };
  private final Deque<Map<String, Object>> requests = new ArrayDeque<>();

  private GatewaySimulator(Settings settings, Consumer<String> log) throws IOException {
    this.settings = settings;
    this.log = log;
    this.webhooks = new WebhookSender(settings.webhookUrl(), settings.webhookSecret(), modes, log);
    this.server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()), 64);
    // Unbounded: a call held by a timeout or a delay must not hold up the others.
    this.workers =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "simulator-http");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(workers);
    server.createContext("/", this::handle);
  }

  /** Starts a simulator; {@code log} gets one line per call and per webhook attempt. */
  public static GatewaySimulator start(Settings settings, Consumer<String> log) throws IOException {
    GatewaySimulator simulator = new GatewaySimulator(settings, log);
    simulator.server.start();
    return simulator;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The API base, e.g. {@code http://127.0.0.1:8090}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
    webhooks.close();
  }

  /**
   * {@code GatewaySimulator --port 8090 --webhook-url
   * http://127.0.0.1:8080/api/v1/gateway/webhooks} with the API key and webhook secret in {@value
   * #API_KEY_VARIABLE} and {@value #WEBHOOK_SECRET_VARIABLE} (defaults: the launcher's development
   * values).
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + arg);
      }
      int equals = arg.indexOf('=');
      if (equals > 0) {
        flags.put(arg.substring(2, equals), arg.substring(equals + 1));
      } else if (i + 1 < args.length) {
        flags.put(arg.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException(arg + " needs a value");
      }
    }
    int port = Integer.parseInt(flags.getOrDefault("port", "8090"));
    String webhookUrl = flags.get("webhook-url");
    String apiKey = System.getenv().getOrDefault(API_KEY_VARIABLE, DEFAULT_API_KEY);
    String secret = System.getenv().getOrDefault(WEBHOOK_SECRET_VARIABLE, DEFAULT_WEBHOOK_SECRET);
    Consumer<String> log =
        line ->
            System.out.println("[" + LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + "] " + line);
    GatewaySimulator simulator =
        start(
            new Settings(
                port,
                apiKey,
                secret,
                webhookUrl == null || webhookUrl.isBlank() ? null : URI.create(webhookUrl)),
            log);
    Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "simulator-shutdown"));
    log.accept(
        "Gateway simulator listening on "
            + simulator.url()
            + (webhookUrl == null ? ", recording webhooks only" : ", webhooks to " + webhookUrl));
    // The server's dispatcher thread keeps the JVM running until it is stopped.
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (path.equals("/health")) {
        respond(exchange, 200, Map.of("status", "UP"));
      } else if (path.startsWith("/_simulator/")) {
        control(exchange, method, path);
      } else if (path.startsWith("/v1/")) {
        api(exchange, method, path);
      } else {
        respond(exchange, 404, unrecognized(method, path));
      }
    } catch (IOException e) {
      // The client went away, e.g. after its own timeout.
      log.accept("answer not delivered: " + e);
    } catch (RuntimeException e) {
      log.accept("failed: " + e);
      try {
        respond(
            exchange,
            500,
            Map.of("error", PaymentIntents.error("api_error", null, null, "simulator failure")));
      } catch (IOException | RuntimeException answered) {
        // The answer had begun already; closing the exchange ends it.
      }
    } finally {
      exchange.close();
    }
  }

  private void api(HttpExchange exchange, String method, String path) throws IOException {
    String idempotencyKey = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
    int failure = modes.takeFailure();
    if (failure != 0) {
      // A failure in front of the API: nothing is carried out or remembered for the key.
      Map<String, Object> error =
          failure == 429
              ? PaymentIntents.error(
                  "invalid_request_error", "rate_limit", null, "Too many requests hit the API.")
              : PaymentIntents.error(
                  "api_error", null, null, "An unknown error occurred (simulated).");
      finish(exchange, method, path, idempotencyKey, failure, Json.write(Map.of("error", error)));
      return;
    }
    pause(modes.delayMs());
    if (body.length > MAX_BODY) {
      finish(
          exchange,
          method,
          path,
          idempotencyKey,
          413,
          errorJson("invalid_request_error", null, "The request body is too large."));
      return;
    }
    SortedMap<String, String> form;
    try {
      form = form(new String(body, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      finish(
          exchange,
          method,
          path,
          idempotencyKey,
          400,
          errorJson("invalid_request_error", null, "Invalid request body: " + e.getMessage()));
      return;
    }
    Matcher intent = INTENT.matcher(path);
    Matcher confirm = CONFIRM.matcher(path);
    boolean create = method.equals("POST") && path.equals("/v1/payment_intents");
    boolean retrieve = method.equals("GET") && intent.matches();
    boolean confirming = method.equals("POST") && confirm.matches();
    if (!create && !retrieve && !confirming) {
      finish(exchange, method, path, idempotencyKey, 404, Json.write(unrecognized(method, path)));
      return;
    }
    String presented = apiKey(exchange);
    boolean byCustomer =
        confirming && intents.isClientSecretOf(confirm.group(1), form.get("client_secret"));
    if (!byCustomer && !sameKey(settings.apiKey(), presented)) {
      finish(exchange, method, path, idempotencyKey, 401, invalidKey(presented));
      return;
    }
    if (idempotencyKey != null && idempotencyKey.length() > MAX_IDEMPOTENCY_KEY) {
      finish(
          exchange,
          method,
          path,
          idempotencyKey,
          400,
          errorJson(
              "invalid_request_error",
              "idempotency_key_too_long",
              "Idempotency keys are at most 255 characters."));
      return;
    }
    String request = method + " " + path + " " + form;
    boolean keyed = method.equals("POST") && idempotencyKey != null;
    int status;
    String answer;
    Map<String, Object> event = null;
    // One call at a time: two calls with one new key cannot both be carried out.
    synchronized (idempotency) {
      Remembered remembered = keyed ? idempotency.get(idempotencyKey) : null;
      if (remembered != null && !remembered.request().equals(request)) {
        status = 400;
        answer =
            errorJson(
                "idempotency_error",
                null,
                "Keys for idempotent requests can only be used with the same parameters they"
                    + " were first used with. Try using a key other than '"
                    + idempotencyKey
                    + "' if you meant to execute a different request.");
      } else if (remembered != null) {
        exchange.getResponseHeaders().add("Idempotent-Replayed", "true");
        status = remembered.status();
        answer = remembered.body();
      } else {
        PaymentIntents.Outcome outcome;
        if (create) {
          outcome = intents.create(form);
        } else if (retrieve) {
          outcome = intents.retrieve(intent.group(1));
        } else {
          outcome = intents.confirm(confirm.group(1), form, modes::takeDecline);
        }
        status = outcome.status();
        answer = Json.write(outcome.body());
        event = outcome.event();
        // As Stripe: an answer is remembered once the call was carried out, not when refused.
        if (keyed && (status < 300 || status == 402)) {
          idempotency.put(idempotencyKey, new Remembered(request, status, answer));
        }
      }
    }
    if (event != null) {
      webhooks.emit(event);
    }
    if (status < 300 || status == 402) {
      // A hung gateway: the call was carried out, its answer comes too late for the client.
      pause(modes.takeTimeout());
    }
    finish(exchange, method, path, idempotencyKey, status, answer);
  }

  private void control(HttpExchange exchange, String method, String path) throws IOException {
    String body =
        new String(exchange.getRequestBody().readNBytes(MAX_BODY), StandardCharsets.UTF_8);
    Matcher complete = COMPLETE.matcher(path);
    if (path.equals("/_simulator/mode") && method.equals("GET")) {
      respond(exchange, 200, modes.toMap());
    } else if (path.equals("/_simulator/mode") && method.equals("POST")) {
      try {
        modes.apply(body.isBlank() ? Map.of() : Json.parseObject(body));
      } catch (IllegalArgumentException e) {
        respond(
            exchange,
            400,
            Map.of(
                "error",
                PaymentIntents.error("invalid_request_error", null, null, e.getMessage())));
        return;
      }
      if (!modes.reorderWebhooks()) {
        webhooks.flushHeldBack();
      }
      log.accept("mode " + modes.toMap());
      respond(exchange, 200, modes.toMap());
    } else if (path.equals("/_simulator/reset") && method.equals("POST")) {
      synchronized (idempotency) {
        idempotency.clear();
        intents.reset();
      }
      modes.reset();
      webhooks.reset();
      synchronized (requests) {
        requests.clear();
      }
      log.accept("reset");
      respond(exchange, 200, Map.of("reset", true));
    } else if (path.equals("/_simulator/webhooks") && method.equals("GET")) {
      respond(exchange, 200, list(webhooks.deliveries()));
    } else if (path.equals("/_simulator/requests") && method.equals("GET")) {
      List<Map<String, Object>> calls;
      synchronized (requests) {
        calls = List.copyOf(requests);
      }
      respond(exchange, 200, list(calls));
    } else if (complete.matches() && method.equals("POST")) {
      SortedMap<String, String> form = new TreeMap<>();
      form.put(
          "payment_method",
          complete.group(2).equals("succeed") ? "pm_card_visa" : "pm_card_chargeDeclined");
      PaymentIntents.Outcome outcome;
      synchronized (idempotency) {
        outcome = intents.confirm(complete.group(1), form, modes::takeDecline);
      }
      if (outcome.event() != null) {
        webhooks.emit(outcome.event());
      }
      log.accept("POST " + path + " " + outcome.status());
      respond(exchange, outcome.status(), outcome.body());
    } else {
      respond(exchange, 404, unrecognized(method, path));
    }
  }

  /** Records the call, then answers it. */
  private void finish(
      HttpExchange exchange,
      String method,
      String path,
      String idempotencyKey,
      int status,
      String json)
      throws IOException {
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("method", method);
    call.put("path", path);
    call.put("idempotency_key", idempotencyKey);
    call.put("status", status);
    call.put("replayed", exchange.getResponseHeaders().containsKey("Idempotent-Replayed"));
    call.put("at", Instant.now().toString());
    synchronized (requests) {
      requests.addLast(call);
      while (requests.size() > KEPT_REQUESTS) {
        requests.removeFirst();
      }
    }
    log.accept(
        method
            + " "
            + path
            + " "
            + status
            + (idempotencyKey == null ? "" : " (Idempotency-Key " + idempotencyKey + ")"));
    if (idempotencyKey != null) {
      exchange.getResponseHeaders().add("Idempotency-Key", idempotencyKey);
    }
    send(exchange, status, json);
  }

  private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
    send(exchange, status, Json.write(body));
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Request-Id", "req_" + PaymentIntents.random(14));
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The key of {@code Authorization: Bearer <key>} or Basic {@code <key>:}, if any. */
  private static String apiKey(HttpExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null) {
      return null;
    }
    if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String user =
            new String(
                Base64.getDecoder().decode(authorization.substring(6).trim()),
                StandardCharsets.UTF_8);
        int colon = user.indexOf(':');
        return colon < 0 ? user : user.substring(0, colon);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }

  private String invalidKey(String presented) {
    String message =
        presented == null || presented.isEmpty()
            ? "You did not provide an API key. You need to provide your API key in the"
                + " Authorization header, using Bearer auth."
            : "Invalid API Key provided: " + masked(presented);
    return errorJson("invalid_request_error", null, message);
  }

  private static String masked(String key) {
    return key.length() <= 8
        ? "****"
        : key.substring(0, 8) + "****" + key.substring(key.length() - 4);
  }

  /** Stripe's body: {@code a=1&metadata[k]=v}; repeated {@code x[]} become {@code x[0]}, ... */
  static SortedMap<String, String> form(String body) {
    SortedMap<String, String> form = new TreeMap<>();
    if (body.isBlank()) {
      return form;
    }
    Map<String, Integer> arrays = new HashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name =
          URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value =
          equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      if (name.endsWith("[]")) {
        int index = arrays.merge(name, 1, Integer::sum) - 1;
        name = name.substring(0, name.length() - 2) + "[" + index + "]";
      }
      if (form.put(name, value) != null) {
        throw new IllegalArgumentException("the parameter " + name + " is given twice");
      }
    }
    return form;
  }

  private static Map<String, Object> unrecognized(String method, String path) {
    return Map.of(
        "error",
        PaymentIntents.error(
            "invalid_request_error",
            null,
            null,
            "Unrecognized request URL (" + method + ": " + path + ")."));
  }

  private static String errorJson(String type, String code, String message) {
    return Json.write(Map.of("error", PaymentIntents.error(type, code, null, message)));
  }

  private static Map<String, Object> list(List<Map<String, Object>> data) {
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("object", "list");
    list.put("data", data);
    return list;
  }

  private static void pause(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Constant-time comparison of two keys. */
  static boolean sameKey(String a, String b) {
    return a != null
        && b != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
