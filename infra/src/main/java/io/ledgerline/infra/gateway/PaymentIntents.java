package io.ledgerline.infra.gateway;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator's payment intents and what each API call does to them, in Stripe's shapes: {@code
 * requires_payment_method} when created, {@code succeeded} or back to {@code
 * requires_payment_method} with a {@code last_payment_error} when confirmed. Thread-safe: every
 * call holds the object's lock.
 */
final class PaymentIntents {

  /** An answer of the API: its status, its JSON body and the event it caused, if any. */
  record Outcome(int status, Map<String, Object> body, Map<String, Object> event) {

    static Outcome of(int status, Map<String, Object> body) {
      return new Outcome(status, body, null);
    }
  }

  /** Stripe's test payment methods that decline; any other confirms. */
  private static final Map<String, String> DECLINING_METHODS =
      Map.of(
          "pm_card_chargeDeclined", "generic_decline",
          "pm_card_visa_chargeDeclined", "generic_decline",
          "pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds",
          "pm_card_chargeDeclinedExpiredCard", "expired_card");

  private static final Set<String> CREATE_PARAMETERS =
      Set.of("amount", "currency", "description", "automatic_payment_methods[enabled]");
  private static final Set<String> CONFIRM_PARAMETERS =
      Set.of("payment_method", "client_secret", "return_url");
  private static final Pattern METADATA = Pattern.compile("metadata\\[([^\\]]*)]");
  private static final Pattern PAYMENT_METHOD_TYPE =
      Pattern.compile("payment_method_types\\[\\d*]");
  private static final Pattern CURRENCY = Pattern.compile("[a-z]{3}");

  /** The API version events are stamped with: the one stripe-java 33 pins. */
  static final String API_VERSION = "2026-07-29.dahlia";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHANUMERIC =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /** The newest intents kept; older ones are forgotten, so a long run fits the small heap. */
  static final int KEPT_INTENTS = 5_000;

  private final Map<String, Map<String, Object>> intents = newestOnly();
  private final Map<String, String> secrets = newestOnly();

  private static <V> Map<String, V> newestOnly() {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > KEPT_INTENTS;
      }
    };
  }

  /** {@code POST /v1/payment_intents}. */
  synchronized Outcome create(SortedMap<String, String> form) {
    Map<String, String> metadata = new TreeMap<>();
    List<String> methodTypes = new ArrayList<>();
    for (Map.Entry<String, String> parameter : form.entrySet()) {
      String name = parameter.getKey();
      Matcher key = METADATA.matcher(name);
      if (key.matches()) {
        if (key.group(1).isEmpty() || key.group(1).length() > 40) {
          return invalid("parameter_invalid_string", name, "Invalid metadata key: " + name);
        }
        if (parameter.getValue().length() > 500) {
          return invalid("parameter_invalid_string", name, "Metadata values are at most 500 long");
        }
        metadata.put(key.group(1), parameter.getValue());
      } else if (PAYMENT_METHOD_TYPE.matcher(name).matches()) {
        methodTypes.add(parameter.getValue());
      } else if (!CREATE_PARAMETERS.contains(name)) {
        return invalid("parameter_unknown", name, "Received unknown parameter: " + name);
      }
    }
    if (metadata.size() > 50) {
      return invalid("parameter_invalid_string", "metadata", "At most 50 metadata keys");
    }
    String amountText = form.get("amount");
    if (amountText == null) {
      return invalid("parameter_missing", "amount", "Missing required param: amount.");
    }
    long amount;
    try {
      amount = Long.parseLong(amountText);
    } catch (NumberFormatException e) {
      return invalid("parameter_invalid_integer", "amount", "Invalid integer: " + amountText);
    }
    if (amount < 1) {
      return invalid("amount_too_small", "amount", "Amount must be at least 1.");
    }
    if (amount > 99_999_999) {
      return invalid("amount_too_large", "amount", "Amount must be no more than 99999999.");
    }
    String currency = form.get("currency");
    if (currency == null) {
      return invalid("parameter_missing", "currency", "Missing required param: currency.");
    }
    currency = currency.toLowerCase(Locale.ROOT);
    if (!CURRENCY.matcher(currency).matches()) {
      return invalid("parameter_invalid_string", "currency", "Invalid currency: " + currency);
    }
    if (methodTypes.isEmpty()) {
      methodTypes.add("card");
    }
    String id = "pi_" + random(24);
    String secret = id + "_secret_" + random(25);
    Map<String, Object> intent = new LinkedHashMap<>();
    intent.put("id", id);
    intent.put("object", "payment_intent");
    intent.put("amount", amount);
    intent.put("amount_received", 0L);
    intent.put("capture_method", "automatic");
    intent.put("client_secret", secret);
    intent.put("confirmation_method", "automatic");
    intent.put("created", Instant.now().getEpochSecond());
    intent.put("currency", currency);
    intent.put("description", form.get("description"));
    intent.put("last_payment_error", null);
    intent.put("latest_charge", null);
    intent.put("livemode", false);
    intent.put("metadata", new LinkedHashMap<String, Object>(metadata));
    intent.put("payment_method", null);
    intent.put("payment_method_types", List.copyOf(methodTypes));
    intent.put("status", "requires_payment_method");
    intents.put(id, intent);
    secrets.put(id, secret);
    return Outcome.of(200, copy(intent));
  }

  /** {@code GET /v1/payment_intents/{id}}. */
  synchronized Outcome retrieve(String id) {
    Map<String, Object> intent = intents.get(id);
    return intent == null ? missing(id) : Outcome.of(200, copy(intent));
  }

  /** Whether {@code clientSecret} is the intent's: a browser confirms with it. */
  synchronized boolean isClientSecretOf(String id, String clientSecret) {
    String secret = secrets.get(id);
    return secret != null
        && clientSecret != null
        && java.security.MessageDigest.isEqual(secret.getBytes(), clientSecret.getBytes());
  }

  /**
   * {@code POST /v1/payment_intents/{id}/confirm}: succeeds, or declines with a 402 {@code
   * card_error} when the payment method is one of Stripe's declining test cards or {@code
   * declineAnyway} says so. Either way the intent's event is returned for delivery.
   */
  synchronized Outcome confirm(
      String id, SortedMap<String, String> form, BooleanSupplier declineAnyway) {
    Map<String, Object> intent = intents.get(id);
    if (intent == null) {
      return missing(id);
    }
    for (String name : form.keySet()) {
      if (!CONFIRM_PARAMETERS.contains(name)) {
        return invalid("parameter_unknown", name, "Received unknown parameter: " + name);
      }
    }
    Object status = intent.get("status");
    if (!"requires_payment_method".equals(status) && !"requires_confirmation".equals(status)) {
      Map<String, Object> error =
          error(
              "invalid_request_error",
              "payment_intent_unexpected_state",
              null,
              "This PaymentIntent's status is " + status + ", so it cannot be confirmed.");
      error.put("payment_intent", copy(intent));
      return Outcome.of(400, Map.of("error", error));
    }
    String paymentMethod = form.getOrDefault("payment_method", "pm_card_visa");
    String declineCode =
        Optional.ofNullable(DECLINING_METHODS.get(paymentMethod))
            .orElseGet(() -> declineAnyway.getAsBoolean() ? "generic_decline" : null);
    intent.put("payment_method", "pm_" + random(24));
    if (declineCode != null) {
      Map<String, Object> error =
          error("card_error", "card_declined", null, "Your card was declined.");
      error.put("decline_code", declineCode);
      intent.put("status", "requires_payment_method");
      intent.put("last_payment_error", new LinkedHashMap<>(error));
      error.put("payment_intent", copy(intent));
      return new Outcome(
          402, Map.of("error", error), event("payment_intent.payment_failed", intent));
    }
    intent.put("status", "succeeded");
    intent.put("amount_received", intent.get("amount"));
    intent.put("latest_charge", "ch_" + random(24));
    intent.put("last_payment_error", null);
    return new Outcome(200, copy(intent), event("payment_intent.succeeded", intent));
  }

  synchronized void reset() {
    intents.clear();
    secrets.clear();
  }

  private static Map<String, Object> event(String type, Map<String, Object> intent) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", "evt_" + random(24));
    event.put("object", "event");
    event.put("api_version", API_VERSION);
    event.put("created", Instant.now().getEpochSecond());
    event.put("data", Map.of("object", copy(intent)));
    event.put("livemode", false);
    event.put("pending_webhooks", 1);
    event.put("request", null);
    event.put("type", type);
    return event;
  }

  private static Outcome missing(String id) {
    return Outcome.of(
        404,
        Map.of(
            "error",
            error(
                "invalid_request_error",
                "resource_missing",
                "intent",
                "No such payment_intent: '" + id + "'")));
  }

  private static Outcome invalid(String code, String param, String message) {
    return Outcome.of(400, Map.of("error", error("invalid_request_error", code, param, message)));
  }

  /** Stripe's error object: {@code {"type","code","param","message"}}. */
  static Map<String, Object> error(String type, String code, String param, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("type", type);
    if (code != null) {
      error.put("code", code);
    }
    if (param != null) {
      error.put("param", param);
    }
    error.put("message", message);
    return error;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> copy(Map<String, Object> intent) {
    Map<String, Object> copy = new LinkedHashMap<>(intent);
    copy.put("metadata", new LinkedHashMap<>((Map<String, Object>) intent.get("metadata")));
    Object error = intent.get("last_payment_error");
    if (error instanceof Map<?, ?> map) {
      copy.put("last_payment_error", new LinkedHashMap<>(map));
    }
    return copy;
  }

  static String random(int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
    }
    return out.toString();
  }
}
