package io.ledgerline.infra.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of our services as a descriptor runs it: a compose service, or the container of a Kubernetes
 * Deployment.
 *
 * @param where the descriptor and the service, for messages
 * @param image the image reference
 * @param environment the environment variables it gets, whatever their source
 * @param ports the container ports, by name where they have one (else by their number)
 * @param probes its health checks
 * @param files the files mounted into it from Secrets, by path, with where they come from
 */
record Workload(
    String where,
    String image,
    Map<String, Setting> environment,
    Map<String, Integer> ports,
    List<Probe> probes,
    Map<String, String> files) {

  /**
   * An environment variable: a value written in the descriptor (interpolation defaults applied), or
   * a key of a Secret.
   */
  record Setting(String value, String secret, String key) {
    static Setting literal(String value) {
      return new Setting(value, null, null);
    }

    static Setting fromSecret(String secret, String key) {
      return new Setting(null, secret, key);
    }

    boolean isEmptyLiteral() {
      return secret == null && (value == null || value.isEmpty());
    }
  }

  /**
   * A health check: an HTTP GET of {@code path} on {@code port}.
   *
   * @param kind liveness, readiness, startup, or healthcheck (compose's one)
   */
  record Probe(String kind, String path, int port) {}

  /** The environment's literal values, Secrets' keys left out. */
  Map<String, String> literals() {
    Map<String, String> values = new LinkedHashMap<>();
    environment.forEach(
        (name, setting) -> {
          if (setting.secret() == null) {
            values.put(name, setting.value());
          }
        });
    return values;
  }

  Optional<String> literal(String name) {
    Setting setting = environment.get(name);
    return setting == null || setting.secret() != null
        ? Optional.empty()
        : Optional.ofNullable(setting.value());
  }

  private static final Pattern COMPOSE_VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");
  private static final Pattern HEALTH_URL =
      Pattern.compile("https?://(?:127\\.0\\.0\\.1|localhost):(\\d+)(/[^\\s'\"]*)");

  /** The workloads of compose.yaml whose image is one of {@code images}. */
  static List<Workload> compose(Path file, List<String> images) {
    Map<String, Object> compose = Yaml.document(file);
    List<Workload> workloads = new ArrayList<>();
    for (Map.Entry<String, Object> service : Yaml.mapAt(compose, "services").entrySet()) {
      Map<String, Object> definition = Yaml.map(service.getValue(), service.getKey());
      String image = interpolate(String.valueOf(definition.get("image")));
      if (!images.contains(image) && !image.startsWith("ledgerline/")) {
        continue;
      }
      Map<String, Setting> environment = new LinkedHashMap<>();
      Object declared = definition.get("environment");
      if (declared instanceof List<?> list) {
        for (Object item : list) {
          String[] pair = String.valueOf(item).split("=", 2);
          environment.put(pair[0], Setting.literal(pair.length > 1 ? interpolate(pair[1]) : ""));
        }
      } else if (declared != null) {
        Yaml.map(declared, "environment")
            .forEach((k, v) -> environment.put(k, Setting.literal(interpolate(String.valueOf(v)))));
      }
      Map<String, Integer> ports = new LinkedHashMap<>();
      for (Object mapping : Yaml.listAt(definition, "ports")) {
        String text = String.valueOf(mapping);
        String container = text.substring(text.lastIndexOf(':') + 1).replace("/tcp", "");
        ports.put(container, Integer.parseInt(container));
      }
      List<Probe> probes = new ArrayList<>();
      Object test = Yaml.at(definition, "healthcheck.test").orElse(null);
      String command =
          test instanceof List<?> parts
              ? String.join(" ", parts.stream().map(String::valueOf).toList())
              : String.valueOf(test);
      Matcher url = HEALTH_URL.matcher(command);
      if (url.find()) {
        probes.add(new Probe("healthcheck", url.group(2), Integer.parseInt(url.group(1))));
      }
      Map<String, String> files = new LinkedHashMap<>();
      for (Object secret : Yaml.listAt(definition, "secrets")) {
        String source =
            secret instanceof Map<?, ?> entry
                ? String.valueOf(entry.get("source"))
                : String.valueOf(secret);
        String target =
            secret instanceof Map<?, ?> entry && entry.containsKey("target")
                ? String.valueOf(entry.get("target"))
                : source;
        files.put(target.startsWith("/") ? target : "/run/secrets/" + target, "secret " + source);
      }
      workloads.add(
          new Workload(
              file.getFileName() + " service " + service.getKey(),
              image,
              environment,
              ports,
              probes,
              files));
    }
    return workloads;
  }

  /** A compose value with {@code ${NAME:-default}} replaced by its default. */
  static String interpolate(String value) {
    Matcher matcher = COMPOSE_VARIABLE.matcher(value.replace("$$", "\0"));
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String fallback =
          matcher.group(2) != null && matcher.group(2).endsWith("-") ? matcher.group(3) : "";
      matcher.appendReplacement(out, Matcher.quoteReplacement(fallback));
    }
    matcher.appendTail(out);
    return out.toString().replace("\0", "$");
  }

  /** The containers of the Deployments among {@code resources}. */
  static List<Workload> kubernetes(String overlay, List<Map<String, Object>> resources) {
    List<Workload> workloads = new ArrayList<>();
    for (Map<String, Object> deployment : kind(resources, "Deployment")) {
      String deploymentName = Yaml.stringAt(deployment, "metadata.name");
      for (Map<String, Object> container :
          Yaml.mapsAt(deployment, "spec.template.spec.containers")) {
        Map<String, Setting> environment = new LinkedHashMap<>();
        for (Map<String, Object> source : Yaml.mapsAt(container, "envFrom")) {
          String configMap = Yaml.stringAt(source, "configMapRef.name");
          String secret = Yaml.stringAt(source, "secretRef.name");
          if (configMap != null) {
            named(resources, "ConfigMap", configMap)
                .ifPresent(
                    c ->
                        Yaml.mapAt(c, "data")
                            .forEach(
                                (k, v) -> environment.put(k, Setting.literal(String.valueOf(v)))));
          }
          if (secret != null) {
            named(resources, "Secret", secret)
                .ifPresent(
                    s ->
                        secretKeys(s)
                            .forEach(k -> environment.put(k, Setting.fromSecret(secret, k))));
          }
        }
        for (Map<String, Object> variable : Yaml.mapsAt(container, "env")) {
          String name = String.valueOf(variable.get("name"));
          if (variable.containsKey("value")) {
            environment.put(name, Setting.literal(String.valueOf(variable.get("value"))));
          } else if (Yaml.at(variable, "valueFrom.secretKeyRef").isPresent()) {
            environment.put(
                name,
                Setting.fromSecret(
                    Yaml.stringAt(variable, "valueFrom.secretKeyRef.name"),
                    Yaml.stringAt(variable, "valueFrom.secretKeyRef.key")));
          } else if (Yaml.at(variable, "valueFrom.configMapKeyRef").isPresent()) {
            String configMap = Yaml.stringAt(variable, "valueFrom.configMapKeyRef.name");
            String key = Yaml.stringAt(variable, "valueFrom.configMapKeyRef.key");
            environment.put(
                name,
                Setting.literal(
                    named(resources, "ConfigMap", configMap)
                        .map(c -> Yaml.mapAt(c, "data").get(key))
                        .map(String::valueOf)
                        .orElse(null)));
          }
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Map<String, Object> port : Yaml.mapsAt(container, "ports")) {
          int number = Integer.parseInt(String.valueOf(port.get("containerPort")));
          ports.put(String.valueOf(port.getOrDefault("name", number)), number);
          ports.put(String.valueOf(number), number);
        }
        List<Probe> probes = new ArrayList<>();
        for (String kind : List.of("liveness", "readiness", "startup")) {
          Map<String, Object> probe = Yaml.mapAt(container, kind + "Probe");
          if (probe.isEmpty()) {
            continue;
          }
          String path = Yaml.stringAt(probe, "httpGet.path");
          String port = Yaml.stringAt(probe, "httpGet.port");
          Integer number = ports.get(port);
          probes.add(new Probe(kind, path, number == null ? -1 : number));
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (Map<String, Object> mount : Yaml.mapsAt(container, "volumeMounts")) {
          String volumeName = String.valueOf(mount.get("name"));
          String mountPath = String.valueOf(mount.get("mountPath"));
          for (Map<String, Object> volume : Yaml.mapsAt(deployment, "spec.template.spec.volumes")) {
            String secret = Yaml.stringAt(volume, "secret.secretName");
            if (!volumeName.equals(volume.get("name")) || secret == null) {
              continue;
            }
            List<Map<String, Object>> items = Yaml.mapsAt(volume, "secret.items");
            if (items.isEmpty()) {
              named(resources, "Secret", secret)
                  .ifPresent(
                      s ->
                          secretKeys(s)
                              .forEach(k -> files.put(mountPath + "/" + k, secret + "/" + k)));
            }
            for (Map<String, Object> item : items) {
              files.put(mountPath + "/" + item.get("path"), secret + "/" + item.get("key"));
            }
          }
        }
        workloads.add(
            new Workload(
                overlay + " Deployment " + deploymentName + " container " + container.get("name"),
                String.valueOf(container.get("image")),
                environment,
                ports,
                probes,
                files));
      }
    }
    return workloads;
  }

  static List<Map<String, Object>> kind(List<Map<String, Object>> resources, String kind) {
    return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
  }

  static Optional<Map<String, Object>> named(
      List<Map<String, Object>> resources, String kind, String name) {
    return resources.stream()
        .filter(r -> kind.equals(r.get("kind")) && name.equals(Yaml.stringAt(r, "metadata.name")))
        .findFirst();
  }

  /** The keys a Secret defines, in data or stringData. */
  static List<String> secretKeys(Map<String, Object> secret) {
    List<String> keys = new ArrayList<>(Yaml.mapAt(secret, "data").keySet());
    keys.addAll(Yaml.mapAt(secret, "stringData").keySet());
    return keys;
  }

  /** A Secret's value of {@code key} as written (stringData), if it is written there. */
  static Optional<String> secretValue(Map<String, Object> secret, String key) {
    return Optional.ofNullable(Yaml.mapAt(secret, "stringData").get(key)).map(String::valueOf);
  }
}
