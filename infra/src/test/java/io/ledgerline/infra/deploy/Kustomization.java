package io.ledgerline.infra.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code kubectl apply -k DIR} would apply, as far as these descriptors use kustomize:
 * resources (files and kustomization folders), patches (merged as kustomize merges a patch into a
 * custom resource), Secret and ConfigMap generators (literals, env files, files), images and
 * namespace. Any other field fails, so that the test never checks something other than what
 * kustomize builds. An env file that is not there (an environment's secrets, ignored by git) is
 * read from its {@code .example} beside it: its keys are what the descriptors may rely on.
 */
final class Kustomization {

  private static final Set<String> UNDERSTOOD =
      Set.of(
          "apiVersion",
          "kind",
          "resources",
          "patches",
          "secretGenerator",
          "configMapGenerator",
          "generatorOptions",
          "images",
          "namespace");

  // Kinds whose patches kustomize merges strategically (lists by key): this model merges lists
  // whole, so their patches must not hold lists.
  private static final Set<String> BUILT_IN =
      Set.of("Deployment", "StatefulSet", "DaemonSet", "Service", "PodDisruptionBudget", "Pod");

  private Kustomization() {}

  /** The resources {@code directory}'s kustomization.yaml builds. */
  static List<Map<String, Object>> build(Path directory) {
    Path file = directory.resolve("kustomization.yaml");
    Map<String, Object> kustomization = Yaml.document(file);
    for (String field : kustomization.keySet()) {
      if (!UNDERSTOOD.contains(field)) {
        throw new IllegalStateException(
            file + ": DeploymentDescriptorsTest does not model the field '" + field + "'");
      }
    }
    List<Map<String, Object>> resources = new ArrayList<>();
    for (Object entry : Yaml.listAt(kustomization, "resources")) {
      Path path = directory.resolve(String.valueOf(entry)).normalize();
      if (Files.isDirectory(path)) {
        resources.addAll(build(path));
      } else {
        resources.addAll(Yaml.documents(path));
      }
    }
    for (Map<String, Object> generator : Yaml.mapsAt(kustomization, "secretGenerator")) {
      resources.add(generate("Secret", generator, directory));
    }
    for (Map<String, Object> generator : Yaml.mapsAt(kustomization, "configMapGenerator")) {
      resources.add(generate("ConfigMap", generator, directory));
    }
    for (Map<String, Object> patch : Yaml.mapsAt(kustomization, "patches")) {
      if (!patch.containsKey("path") || patch.containsKey("target")) {
        throw new IllegalStateException(file + ": only patches by path, target from the patch");
      }
      for (Map<String, Object> document :
          Yaml.documents(directory.resolve(String.valueOf(patch.get("path"))))) {
        apply(document, resources, file);
      }
    }
    for (Map<String, Object> image : Yaml.mapsAt(kustomization, "images")) {
      renameImages(resources, image);
    }
    Object namespace = kustomization.get("namespace");
    if (namespace != null) {
      for (Map<String, Object> resource : resources) {
        if (!"Namespace".equals(resource.get("kind"))) {
          Yaml.mapAt(resource, "metadata").put("namespace", namespace);
        }
      }
    }
    return resources;
  }

  private static void apply(
      Map<String, Object> patch, List<Map<String, Object>> resources, Path file) {
    String kind = String.valueOf(patch.get("kind"));
    String name = Yaml.stringAt(patch, "metadata.name");
    if (BUILT_IN.contains(kind) && holdsList(patch)) {
      throw new IllegalStateException(
          file
              + ": the patch of "
              + kind
              + " "
              + name
              + " holds a list, which this test merges"
              + " whole where kustomize merges it by key");
    }
    Map<String, Object> target =
        resources.stream()
            .filter(
                r -> kind.equals(r.get("kind")) && name.equals(Yaml.stringAt(r, "metadata.name")))
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException(file + ": patches a missing " + kind + " " + name));
    Yaml.merge(target, patch);
  }

  private static boolean holdsList(Object value) {
    if (value instanceof List<?>) {
      return true;
    }
    if (value instanceof Map<?, ?> map) {
      return map.values().stream().anyMatch(Kustomization::holdsList);
    }
    return false;
  }

  private static Map<String, Object> generate(
      String kind, Map<String, Object> generator, Path directory) {
    Map<String, Object> data = new LinkedHashMap<>();
    for (Object literal : Yaml.listAt(generator, "literals")) {
      String[] pair = String.valueOf(literal).split("=", 2);
      data.put(pair[0], pair.length > 1 ? pair[1] : "");
    }
    for (Object env : Yaml.listAt(generator, "envs")) {
      data.putAll(envFile(directory.resolve(String.valueOf(env))));
    }
    for (Object entry : Yaml.listAt(generator, "files")) {
      String[] pair = String.valueOf(entry).split("=", 2);
      Path source = directory.resolve(pair.length > 1 ? pair[1] : pair[0]);
      String key = pair.length > 1 ? pair[0] : source.getFileName().toString();
      Path example = source.resolveSibling(source.getFileName() + ".example");
      if (!Files.isRegularFile(source) && !Files.isRegularFile(example)) {
        throw new IllegalStateException(directory + ": no " + source + " nor its .example");
      }
      data.put(key, Files.isRegularFile(source) ? read(source) : "(see " + example + ")");
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", generator.get("name"));
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("apiVersion", "v1");
    resource.put("kind", kind);
    resource.put("metadata", metadata);
    if (generator.containsKey("type")) {
      resource.put("type", generator.get("type"));
    }
    resource.put(kind.equals("Secret") ? "stringData" : "data", data);
    return resource;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The keys and values of an env file, or of its {@code .example} when it is not there. */
  static Map<String, String> envFile(Path file) {
    Path read = file;
    if (!Files.isRegularFile(read)) {
      read = file.resolveSibling(file.getFileName() + ".example");
    }
    try {
      Map<String, String> values = new LinkedHashMap<>();
      for (String line : Files.readAllLines(read)) {
        String trimmed = line.trim();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        String[] pair = trimmed.split("=", 2);
        values.put(pair[0].trim(), pair.length > 1 ? pair[1] : "");
      }
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException("no " + file + " nor its .example", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static void renameImages(List<Map<String, Object>> resources, Map<String, Object> image) {
    String name = String.valueOf(image.get("name"));
    for (Map<String, Object> resource : resources) {
      for (String path :
          List.of("spec.template.spec.containers", "spec.template.spec.initContainers")) {
        for (Object item : Yaml.listAt(resource, path)) {
          Map<String, Object> container = (Map<String, Object>) item;
          String current = String.valueOf(container.get("image"));
          int colon = current.lastIndexOf(':');
          String repository =
              colon > current.lastIndexOf('/') ? current.substring(0, colon) : current;
          String tag = colon > current.lastIndexOf('/') ? current.substring(colon + 1) : null;
          if (!repository.equals(name)) {
            continue;
          }
          String newName =
              image.containsKey("newName") ? String.valueOf(image.get("newName")) : name;
          String newTag = image.containsKey("newTag") ? String.valueOf(image.get("newTag")) : tag;
          container.put("image", newTag == null ? newName : newName + ":" + newTag);
        }
      }
    }
  }
}
