package io.ledgerline.infra.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Delivers events to the webhook endpoint as Stripe does: a JSON {@code POST} signed with {@code
 * Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body" under the endpoint's secret>}
 * (a new timestamp and signature for every attempt), retried with a doubling backoff while the
 * endpoint answers anything but 2xx, up to a bounded number of attempts. Every attempt is recorded
 * for {@code GET /_simulator/webhooks}.
 */
final class WebhookSender implements AutoCloseable {

  private static final int KEPT_DELIVERIES = 1_000;
  private static final long MAX_BACKOFF_MS = 60_000;

  private final URI target;
  private final byte[] secret;
  private final FaultModes modes;
  private final Consumer<String> log;
  private final HttpClient http;
  private final ScheduledExecutorService scheduler;

  private final Deque<Map<String, Object>> deliveries = new ArrayDeque<>();
  private final List<Map<String, Object>> heldBack = new ArrayList<>();
  private ScheduledFuture<?> heldBackFlush;

  /** Bumped by {@link #reset}: deliveries scheduled before it are dropped. */
  private long generation;

  /**
   * @param target the webhook endpoint, or null to record events without sending them
   * @param secret the endpoint's signing secret ({@code whsec_...})
   */
  WebhookSender(URI target, String secret, FaultModes modes, Consumer<String> log) {
    this.target = target;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.modes = modes;
    this.log = log;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.scheduler =
        Executors.newScheduledThreadPool(
            2,
            task -> {
              Thread thread = new Thread(task, "simulator-webhooks");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Sends an event (twice when duplicating; held back when reordering). */
  synchronized void emit(Map<String, Object> event) {
    int copies = modes.duplicateWebhooks() ? 2 : 1;
    for (int i = 0; i < copies; i++) {
      if (modes.reorderWebhooks()) {
        heldBack.add(event);
        if (heldBack.size() >= 2) {
          flushHeldBack();
        } else if (heldBackFlush == null) {
          long window = modes.reorderWindowMs();
          heldBackFlush = scheduler.schedule(this::flushHeldBack, window, TimeUnit.MILLISECONDS);
        }
      } else {
        schedule(event, 1, modes.webhookDelayMs());
      }
    }
  }

  /** Sends whatever is held back, newest first. */
  synchronized void flushHeldBack() {
    if (heldBackFlush != null) {
      heldBackFlush.cancel(false);
      heldBackFlush = null;
    }
    if (heldBack.isEmpty()) {
      return;
    }
    List<Map<String, Object>> newestFirst = new ArrayList<>(heldBack);
    Collections.reverse(newestFirst);
    heldBack.clear();
    long scheduledIn = generation;
    // One after the other, so the first attempts arrive in exactly this order.
    scheduler.schedule(
        () -> newestFirst.forEach(event -> deliver(event, 1, scheduledIn)),
        modes.webhookDelayMs(),
        TimeUnit.MILLISECONDS);
  }

  synchronized List<Map<String, Object>> deliveries() {
    return List.copyOf(deliveries);
  }

  /** Forgets every delivery and drops the ones not made yet. */
  synchronized void reset() {
    generation++;
    heldBack.clear();
    if (heldBackFlush != null) {
      heldBackFlush.cancel(false);
      heldBackFlush = null;
    }
    deliveries.clear();
  }

  private synchronized void schedule(Map<String, Object> event, int attempt, long delayMs) {
    long scheduledIn = generation;
    scheduler.schedule(() -> deliver(event, attempt, scheduledIn), delayMs, TimeUnit.MILLISECONDS);
  }

  private void deliver(Map<String, Object> event, int attempt, long scheduledIn) {
    synchronized (this) {
      if (scheduledIn != generation) {
        return;
      }
    }
    String body = Json.write(event);
    long timestamp = Instant.now().getEpochSecond();
    String signature = "t=" + timestamp + ",v1=" + sign(timestamp + "." + body);
    int status = -1;
    String error = null;
    if (target == null) {
      error = "no webhook URL configured";
    } else {
      try {
        HttpRequest request =
            HttpRequest.newBuilder(target)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
                .header("Stripe-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException e) {
        error =
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    boolean delivered = status >= 200 && status < 300;
    record(event, attempt, status, error, signature, body);
    log.accept(
        "webhook "
            + event.get("id")
            + " "
            + event.get("type")
            + " attempt "
            + attempt
            + ": "
            + (status > 0 ? "HTTP " + status : error));
    if (!delivered && target != null && attempt < modes.webhookMaxAttempts()) {
      long backoff = Math.min(MAX_BACKOFF_MS, modes.webhookRetryMs() << Math.min(attempt - 1, 20));
      synchronized (this) {
        if (scheduledIn == generation) {
          scheduler.schedule(
              () -> deliver(event, attempt + 1, scheduledIn), backoff, TimeUnit.MILLISECONDS);
        }
      }
    }
  }

  private synchronized void record(
      Map<String, Object> event,
      int attempt,
      int status,
      String error,
      String signature,
      String body) {
    Map<String, Object> delivery = new LinkedHashMap<>();
    delivery.put("event_id", event.get("id"));
    delivery.put("type", event.get("type"));
    Object data = event.get("data");
    Object intent = data instanceof Map<?, ?> map ? map.get("object") : null;
    delivery.put("payment_intent", intent instanceof Map<?, ?> object ? object.get("id") : null);
    delivery.put("attempt", attempt);
    delivery.put("status", status);
    delivery.put("delivered", status >= 200 && status < 300);
    delivery.put("error", error);
    delivery.put("sent_at", Instant.now().toString());
    // What was sent, so a test can send it again (a replay) or check the signature itself.
    delivery.put("signature", signature);
    delivery.put("payload", body);
    deliveries.addLast(delivery);
    while (deliveries.size() > KEPT_DELIVERIES) {
      deliveries.removeFirst();
    }
  }

  private String sign(String signedPayload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(signedPayload.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
