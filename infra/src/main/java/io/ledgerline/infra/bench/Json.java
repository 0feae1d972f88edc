package io.ledgerline.infra.bench;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough JSON for the benchmark: writes maps, lists and scalars; reads single fields. */
final class Json {

  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private Json() {}

  /** Pretty-printed JSON of maps, collections, strings, numbers, booleans and nulls. */
  static String write(Object value) {
    StringBuilder json = new StringBuilder();
    write(value, json, "");
    return json.append('\n').toString();
  }

  private static void write(Object value, StringBuilder json, String indent) {
    if (value == null) {
      json.append("null");
    } else if (value instanceof String text) {
      quote(text, json);
    } else if (value instanceof Double number) {
      json.append(number.isNaN() || number.isInfinite() ? "null" : round(number));
    } else if (value instanceof Float number) {
      write(number.doubleValue(), json, indent);
    } else if (value instanceof Number || value instanceof Boolean) {
      json.append(value);
    } else if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        json.append("{}");
        return;
      }
      String inner = indent + "  ";
      json.append("{\n");
      Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
      while (entries.hasNext()) {
        Map.Entry<?, ?> entry = entries.next();
        json.append(inner);
        quote(String.valueOf(entry.getKey()), json);
        json.append(": ");
        write(entry.getValue(), json, inner);
        json.append(entries.hasNext() ? ",\n" : "\n");
      }
      json.append(indent).append('}');
    } else if (value instanceof Collection<?> list) {
      if (list.isEmpty()) {
        json.append("[]");
        return;
      }
      String inner = indent + "  ";
      json.append("[\n");
      Iterator<?> items = list.iterator();
      while (items.hasNext()) {
        json.append(inner);
        write(items.next(), json, inner);
        json.append(items.hasNext() ? ",\n" : "\n");
      }
      json.append(indent).append(']');
    } else {
      quote(value.toString(), json);
    }
  }

  // Three decimals are more than any of these figures can tell apart.
  private static String round(double number) {
    if (number == Math.rint(number) && Math.abs(number) < 1e15) {
      return Long.toString((long) number);
    }
    return java.math.BigDecimal.valueOf(number)
        .setScale(3, java.math.RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
  }

  private static void quote(String text, StringBuilder json) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }

  /** The first string value of {@code field} in a JSON text. */
  static Optional<String> string(String json, String field) {
    Matcher matcher = pattern(field, "\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  /** The first numeric value of {@code field} in a JSON text. */
  static Optional<Double> number(String json, String field) {
    Matcher matcher = pattern(field, "(-?[0-9][0-9.eE+-]*)").matcher(json);
    return matcher.find() ? Optional.of(Double.parseDouble(matcher.group(1))) : Optional.empty();
  }

  /** The first boolean value of {@code field} in a JSON text. */
  static Optional<Boolean> bool(String json, String field) {
    Matcher matcher = pattern(field, "(true|false)").matcher(json);
    return matcher.find() ? Optional.of(Boolean.parseBoolean(matcher.group(1))) : Optional.empty();
  }

  private static Pattern pattern(String field, String value) {
    return PATTERNS.computeIfAbsent(
        field + "\u0000" + value,
        key -> Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*" + value));
  }
}
