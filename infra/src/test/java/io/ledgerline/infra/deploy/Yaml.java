package io.ledgerline.infra.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reading YAML documents as plain maps and lists, and walking them by path. */
final class Yaml {

  private Yaml() {}

  /** Every document of a file, empty ones left out. */
  static List<Map<String, Object>> documents(Path file) {
    try {
      String text = Files.readString(file);
      List<Map<String, Object>> documents = new ArrayList<>();
      for (Object document :
          new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
        if (document != null) {
          documents.add(map(document, file.toString()));
        }
      }
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The one document of a file. */
  static Map<String, Object> document(Path file) {
    List<Map<String, Object>> documents = documents(file);
    if (documents.size() != 1) {
      throw new IllegalStateException(file + " holds " + documents.size() + " documents, not 1");
    }
    return documents.get(0);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value, String what) {
    if (!(value instanceof Map)) {
      throw new IllegalStateException(what + " is not a mapping: " + value);
    }
    return (Map<String, Object>) value;
  }

  /** The value at a dotted path of keys ({@code spec.template.spec}), if every step exists. */
  static Optional<Object> at(Map<String, Object> root, String path) {
    Object current = root;
    for (String key : path.split("\\.")) {
      if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
        return Optional.empty();
      }
      current = map.get(key);
    }
    return Optional.ofNullable(current);
  }

  static Map<String, Object> mapAt(Map<String, Object> root, String path) {
    return at(root, path).map(v -> map(v, path)).orElse(Map.of());
  }

  @SuppressWarnings("unchecked")
  static List<Object> listAt(Map<String, Object> root, String path) {
    return at(root, path).map(v -> (List<Object>) v).orElse(List.of());
  }

  static List<Map<String, Object>> mapsAt(Map<String, Object> root, String path) {
    List<Map<String, Object>> maps = new ArrayList<>();
    for (Object item : listAt(root, path)) {
      maps.add(map(item, path));
    }
    return maps;
  }

  static String stringAt(Map<String, Object> root, String path) {
    return at(root, path).map(String::valueOf).orElse(null);
  }

  /**
   * The leaves of a document by their dotted key ({@code spring.datasource.url}); list items are
   * keyed by index ({@code cors-allowed-origins[0]}).
   */
  static Map<String, Object> flatten(Map<String, Object> document) {
    Map<String, Object> leaves = new LinkedHashMap<>();
    flatten("", document, leaves);
    return leaves;
  }

  private static void flatten(String prefix, Object value, Map<String, Object> leaves) {
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key =
            prefix.isEmpty() ? String.valueOf(entry.getKey()) : prefix + "." + entry.getKey();
        flatten(key, entry.getValue(), leaves);
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        flatten(prefix + "[" + i + "]", list.get(i), leaves);
      }
      if (list.isEmpty()) {
        leaves.put(prefix, list);
      }
    } else {
      leaves.put(prefix, value);
    }
  }

  /**
   * {@code patch} merged into {@code target} as kustomize merges a patch into a custom resource (a
   * JSON merge patch): mappings merge key by key, anything else, lists included, is replaced.
   */
  @SuppressWarnings("unchecked")
  static void merge(Map<String, Object> target, Map<String, Object> patch) {
    for (Map.Entry<String, Object> entry : patch.entrySet()) {
      Object current = target.get(entry.getKey());
      if (entry.getValue() == null) {
        target.remove(entry.getKey());
      } else if (current instanceof Map<?, ?> && entry.getValue() instanceof Map<?, ?>) {
        merge((Map<String, Object>) current, (Map<String, Object>) entry.getValue());
      } else {
        target.put(entry.getKey(), entry.getValue());
      }
    }
  }
}
