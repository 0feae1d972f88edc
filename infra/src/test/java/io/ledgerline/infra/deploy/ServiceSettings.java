package io.ledgerline.infra.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service's {@code application.yml} asks of a deployment: the settings it cannot run without
 * outside a developer's machine, its port and the health groups it serves.
 *
 * @param module the Maven module ({@code command-side})
 * @param properties every property of application.yml by its dotted name
 */
record ServiceSettings(String module, Map<String, Object> properties) {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

  /** A default that application.yml marks as fit for the local stack only. */
  private static final String DEVELOPMENT_DEFAULT = "local-development-";

  /** The local stack's token issuer, which the production profile refuses. */
  static final String DEVELOPMENT_ISSUER = "ledgerline-local";

  static ServiceSettings of(Path repository, String module) {
    Path file = repository.resolve(module).resolve("src/main/resources/application.yml");
    Map<String, Object> properties = new LinkedHashMap<>();
    for (Map<String, Object> document : Yaml.documents(file)) {
      properties.putAll(Yaml.flatten(document));
    }
    return new ServiceSettings(module, properties);
  }

  /**
   * A setting the deployment must give, as the environment variables Spring Boot reads it from.
   *
   * @param property the property, e.g. {@code spring.datasource.url}
   * @param variables the environment variables that set it
   * @param why why it must be given
   */
  record Required(String property, Set<String> variables, String why) {}

  /**
   * The settings a deployment must provide:
   *
   * <ul>
   *   <li>a placeholder without a default ({@code ${NAME}}) that no property of the file answers;
   *   <li>a placeholder whose default is the local stack's ({@code local-development-...});
   *   <li>a property that points at the developer's machine (127.0.0.1, localhost);
   *   <li>a user name or password written into the file.
   * </ul>
   */
  List<Required> required() {
    List<Required> required = new ArrayList<>();
    for (Map.Entry<String, Object> property : properties.entrySet()) {
      String name = property.getKey();
      String value = String.valueOf(property.getValue());
      Matcher placeholder = PLACEHOLDER.matcher(value);
      boolean placeholderOnly = false;
      while (placeholder.find()) {
        String variable = placeholder.group(1);
        String fallback = placeholder.group(2);
        placeholderOnly = placeholder.start() == 0 && placeholder.end() == value.length();
        if (fallback == null && !properties.containsKey(variable)) {
          required.add(
              new Required(name, variables(name, variable), "${" + variable + "} has no default"));
        } else if (fallback != null && fallback.startsWith(DEVELOPMENT_DEFAULT)) {
          required.add(
              new Required(
                  name,
                  variables(name, variable),
                  "its default " + fallback + " is for the local stack only"));
        }
      }
      if (placeholderOnly) {
        continue;
      }
      if (value.contains("127.0.0.1") || value.contains("localhost")) {
        required.add(new Required(name, variables(name, null), "it points at " + value));
      } else if (name.endsWith(".password") || name.endsWith(".username")) {
        required.add(new Required(name, variables(name, null), "it is a credential in the file"));
      }
    }
    return required;
  }

  /**
   * The environment variables Spring Boot binds to {@code property}: its canonical form (dots to
   * underscores, dashes removed, upper case), the legacy one with dashes as underscores, and the
   * variable its placeholder names.
   */
  static Set<String> variables(String property, String placeholderVariable) {
    Set<String> variables = new LinkedHashSet<>();
    String upper = property.toUpperCase().replace('.', '_');
    variables.add(upper.replace("-", ""));
    variables.add(upper.replace('-', '_'));
    if (placeholderVariable != null) {
      variables.add(placeholderVariable);
    }
    return variables;
  }

  /** The HTTP port of the service: SERVER_PORT from the environment, else server.port. */
  int port(Map<String, String> environment) {
    String port =
        environment.getOrDefault("SERVER_PORT", String.valueOf(properties.get("server.port")));
    if (properties.containsKey("management.server.port")) {
      throw new IllegalStateException(
          module + " serves the actuator on its own port: teach DeploymentDescriptorsTest that");
    }
    return Integer.parseInt(port);
  }

  /**
   * The health groups the service serves under /actuator/health/NAME: liveness and readiness when
   * probes are enabled, and every group application.yml configures.
   */
  Set<String> healthGroups() {
    Set<String> groups = new LinkedHashSet<>();
    if ("true"
        .equals(String.valueOf(properties.get("management.endpoint.health.probes.enabled")))) {
      groups.add("liveness");
      groups.add("readiness");
    }
    String prefix = "management.endpoint.health.group.";
    for (String name : properties.keySet()) {
      if (name.startsWith(prefix)) {
        groups.add(name.substring(prefix.length()).split("\\.")[0]);
      }
    }
    return groups;
  }

  /** Whether application.yml exposes the health endpoint over HTTP. */
  boolean exposesHealth() {
    String include =
        String.valueOf(
            properties.getOrDefault("management.endpoints.web.exposure.include", "health"));
    return List.of(include.split(",")).stream()
        .map(String::trim)
        .anyMatch(e -> e.equals("health") || e.equals("*"));
  }
}
