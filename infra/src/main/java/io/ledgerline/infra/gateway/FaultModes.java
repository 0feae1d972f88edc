package io.ledgerline.infra.gateway;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The faults the simulator is told to inject ({@code POST /_simulator/mode}); every field keeps its
 * value until changed or reset. Counters ({@code failNext}, {@code timeoutNext}, {@code
 * declineNextPayments}) count down as they are used.
 */
final class FaultModes {

  /** API calls to answer with {@link #failStatus} before they reach the API (nothing happens). */
  private int failNext;

  /** The status of those failures: 500, 502, 503 or 429. */
  private int failStatus = 500;

  /** API calls to carry out and then answer only after {@link #timeoutMs}, as a hung gateway. */
  private int timeoutNext;

  private long timeoutMs = 30_000;

  /** Added before every API answer. */
  private long delayMs;

  /** Confirmations to decline, whatever the card. */
  private int declineNextPayments;

  /** Added before each webhook's first delivery. */
  private long webhookDelayMs;

  /** Each event is delivered twice (the same event id), as Stripe may. */
  private boolean duplicateWebhooks;

  /**
   * Events are held back and delivered newest first: as soon as two are held, or {@link
   * #reorderWindowMs} after the first was held, or when this is switched off.
   */
  private boolean reorderWebhooks;

  private long reorderWindowMs = 1_000;

  /** Deliveries of one event at most; a non-2xx answer is retried with a doubling backoff. */
  private int webhookMaxAttempts = 8;

  /** The first retry's backoff; later ones double it, up to a minute. */
  private long webhookRetryMs = 500;

  synchronized void apply(Map<String, Object> changes) {
    // Checked whole first, so a bad field changes nothing.
    FaultModes next = copy();
    for (Map.Entry<String, Object> change : changes.entrySet()) {
      Object value = change.getValue();
      switch (change.getKey()) {
        case "failNext" -> next.failNext = count(change.getKey(), value);
        case "failStatus" -> {
          int status = count(change.getKey(), value);
          if (status != 429 && (status < 500 || status > 599)) {
            throw new IllegalArgumentException("failStatus must be 429 or a 5xx status");
          }
          next.failStatus = status;
        }
        case "timeoutNext" -> next.timeoutNext = count(change.getKey(), value);
        case "timeoutMs" -> next.timeoutMs = millis(change.getKey(), value);
        case "delayMs" -> next.delayMs = millis(change.getKey(), value);
        case "declineNextPayments" -> next.declineNextPayments = count(change.getKey(), value);
        case "webhookDelayMs" -> next.webhookDelayMs = millis(change.getKey(), value);
        case "duplicateWebhooks" -> next.duplicateWebhooks = flag(change.getKey(), value);
        case "reorderWebhooks" -> next.reorderWebhooks = flag(change.getKey(), value);
        case "reorderWindowMs" -> next.reorderWindowMs = millis(change.getKey(), value);
        case "webhookMaxAttempts" -> {
          int attempts = count(change.getKey(), value);
          if (attempts < 1) {
            throw new IllegalArgumentException("webhookMaxAttempts must be at least 1");
          }
          next.webhookMaxAttempts = attempts;
        }
        case "webhookRetryMs" -> next.webhookRetryMs = millis(change.getKey(), value);
        default -> throw new IllegalArgumentException("unknown mode " + change.getKey());
      }
    }
    failNext = next.failNext;
    failStatus = next.failStatus;
    timeoutNext = next.timeoutNext;
    timeoutMs = next.timeoutMs;
    delayMs = next.delayMs;
    declineNextPayments = next.declineNextPayments;
    webhookDelayMs = next.webhookDelayMs;
    duplicateWebhooks = next.duplicateWebhooks;
    reorderWebhooks = next.reorderWebhooks;
    reorderWindowMs = next.reorderWindowMs;
    webhookMaxAttempts = next.webhookMaxAttempts;
    webhookRetryMs = next.webhookRetryMs;
  }

  synchronized void reset() {
    apply(new FaultModes().toMap());
  }

  private synchronized FaultModes copy() {
    FaultModes copy = new FaultModes();
    copy.failNext = failNext;
    copy.failStatus = failStatus;
    copy.timeoutNext = timeoutNext;
    copy.timeoutMs = timeoutMs;
    copy.delayMs = delayMs;
    copy.declineNextPayments = declineNextPayments;
    copy.webhookDelayMs = webhookDelayMs;
    copy.duplicateWebhooks = duplicateWebhooks;
    copy.reorderWebhooks = reorderWebhooks;
    copy.reorderWindowMs = reorderWindowMs;
    copy.webhookMaxAttempts = webhookMaxAttempts;
    copy.webhookRetryMs = webhookRetryMs;
    return copy;
  }

  synchronized Map<String, Object> toMap() {
    Map<String, Object> modes = new LinkedHashMap<>();
    modes.put("failNext", failNext);
    modes.put("failStatus", failStatus);
    modes.put("timeoutNext", timeoutNext);
    modes.put("timeoutMs", timeoutMs);
    modes.put("delayMs", delayMs);
    modes.put("declineNextPayments", declineNextPayments);
    modes.put("webhookDelayMs", webhookDelayMs);
    modes.put("duplicateWebhooks", duplicateWebhooks);
    modes.put("reorderWebhooks", reorderWebhooks);
    modes.put("reorderWindowMs", reorderWindowMs);
    modes.put("webhookMaxAttempts", webhookMaxAttempts);
    modes.put("webhookRetryMs", webhookRetryMs);
    return modes;
  }

  /** The status to fail this API call with, or 0 to let it through. */
  synchronized int takeFailure() {
    if (failNext > 0) {
      failNext--;
      return failStatus;
    }
    return 0;
  }

  /** How long to hold this API call's answer after carrying it out, or 0. */
  synchronized long takeTimeout() {
    if (timeoutNext > 0) {
      timeoutNext--;
      return timeoutMs;
    }
    return 0;
  }

  synchronized boolean takeDecline() {
    if (declineNextPayments > 0) {
      declineNextPayments--;
      return true;
    }
    return false;
  }

  synchronized long delayMs() {
    return delayMs;
  }

  synchronized long webhookDelayMs() {
    return webhookDelayMs;
  }

  synchronized boolean duplicateWebhooks() {
    return duplicateWebhooks;
  }

  synchronized boolean reorderWebhooks() {
    return reorderWebhooks;
  }

  synchronized long reorderWindowMs() {
    return reorderWindowMs;
  }

  synchronized int webhookMaxAttempts() {
    return webhookMaxAttempts;
  }

  synchronized long webhookRetryMs() {
    return webhookRetryMs;
  }

  private static int count(String name, Object value) {
    if (value instanceof Long number && number >= 0 && number <= Integer.MAX_VALUE) {
      return number.intValue();
    }
    if (value instanceof Integer number && number >= 0) {
      return number;
    }
    throw new IllegalArgumentException(name + " must be a non-negative integer");
  }

  private static long millis(String name, Object value) {
    if (value instanceof Long number && number >= 0 && number <= 600_000) {
      return number;
    }
    if (value instanceof Integer number && number >= 0) {
      return number;
    }
    throw new IllegalArgumentException(name + " must be milliseconds from 0 to 600000");
  }

  private static boolean flag(String name, Object value) {
    if (value instanceof Boolean flag) {
      return flag;
    }
    throw new IllegalArgumentException(name + " must be true or false");
  }
}
