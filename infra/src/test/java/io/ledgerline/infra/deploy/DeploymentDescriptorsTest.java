package io.ledgerline.infra.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.events.EventWireFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment descriptors (infra/deploy: compose.yaml and the Kubernetes overlays, built as
 * kustomize builds them) checked against the application they deploy: the images Jib builds (the
 * poms), the settings and health groups of each service (application.yml), the database roles of
 * the migrations, the topics and read models the services use and the middleware versions of the
 * local stack. Nothing here starts a container or talks to a cluster: whether the operators accept
 * the custom resources is not checked.
 */
class DeploymentDescriptorsTest {

  private static final List<String> MODULES = List.of("command-side", "query-side");

  // The database role each service connects as, as the local stack runs them (LocalStack).
  private static final Map<String, String> DATABASE_ROLES =
      Map.of("command-side", "ledgerline_app", "query-side", "ledgerline_audit");

  // The dead-letter topic of the query side's projections (ProjectionConfiguration).
  private static final String DEAD_LETTER_TOPIC = EventWireFormat.EVENTS_TOPIC + ".dlt";

  // How tokens are verified: one of these must be set (ApiSecurityAutoConfiguration).
  private static final List<String> TOKEN_KEY_PROPERTIES =
      List.of(
          "ledgerline.security.jwt.jwk-set-uri",
          "ledgerline.security.jwt.public-key-location",
          "ledgerline.security.jwt.issuer-uri");

  private static Path repository;
  private static Path deploy;
  private static final Map<String, JibImage> images = new LinkedHashMap<>();
  private static final Map<String, ServiceSettings> settings = new LinkedHashMap<>();
  private static final Map<String, List<Map<String, Object>>> overlays = new LinkedHashMap<>();

  @BeforeAll
  static void readTheApplicationAndItsDescriptors() throws IOException {
    String configured = System.getProperty("ledgerline.repo");
    repository = Path.of(configured != null ? configured : "..").toAbsolutePath().normalize();
    deploy = repository.resolve("infra/deploy");
    for (String module : MODULES) {
      images.put(module, JibImage.of(repository, module));
      settings.put(module, ServiceSettings.of(repository, module));
    }
    try (Stream<Path> dirs = Files.list(deploy.resolve("k8s/overlays"))) {
      for (Path overlay : dirs.sorted().toList()) {
        overlays.put("k8s/overlays/" + overlay.getFileName(), Kustomization.build(overlay));
      }
    }
    assertThat(overlays).as("Kubernetes overlays under %s", deploy).isNotEmpty();
  }

  @Test
  void eachServiceIsAnImageJibBuildsOnThePinnedBaseAsANonRootUser() {
    List<String> problems = new ArrayList<>();
    for (String module : MODULES) {
      JibImage image = images.get(module);
      int port = settings.get(module).port(Map.of());
      if (image.skipped()) {
        problems.add(module + "/pom.xml: jib-maven-plugin skips the module");
      }
      String version = JibImage.projectVersion(repository);
      if (!image.reference().endsWith("/" + module + ":" + version)) {
        problems.add(
            module
                + ": the image "
                + image.reference()
                + " is not tagged "
                + module
                + ":"
                + version);
      }
      if (image.user() == null || image.uid() == 0) {
        problems.add(module + ": the image runs as root (container.user " + image.user() + ")");
      }
      if (!image.ports().equals(List.of(port))) {
        problems.add(
            module + ": the image exposes " + image.ports() + ", the service listens on " + port);
      }
      Path mainClass =
          repository
              .resolve(module)
              .resolve("src/main/java")
              .resolve(String.valueOf(image.mainClass()).replace('.', '/') + ".java");
      if (!Files.isRegularFile(mainClass)) {
        problems.add(module + ": the image starts " + image.mainClass() + ", which is not there");
      }
    }
    String base = rootProperty("image.base");
    if (base == null || !base.startsWith("eclipse-temurin:17") || !base.contains("@sha256:")) {
      problems.add("pom.xml: the base image is not eclipse-temurin 17 pinned by digest: " + base);
    }
    assertNoProblems(problems);
  }

  @Test
  void composeAndEveryOverlayRunTheImagesJibBuilds() {
    List<String> problems = new ArrayList<>();
    forEachDescriptor(
        (descriptor, workloads) -> {
          for (String module : MODULES) {
            String reference = images.get(module).reference();
            long running = workloads.stream().filter(w -> w.image().equals(reference)).count();
            if (running != 1) {
              problems.add(descriptor + ": runs " + reference + " " + running + " times, not once");
            }
          }
          for (Workload workload : workloads) {
            if (images.values().stream().noneMatch(i -> i.reference().equals(workload.image()))) {
              problems.add(
                  workload.where() + ": runs " + workload.image() + ", which Jib does not build");
            }
          }
        });
    assertNoProblems(problems);
  }

  @Test
  void everySettingAServiceNeedsIsProvided() {
    List<String> problems = new ArrayList<>();
    forEachService(
        (workload, module) -> {
          ServiceSettings service = settings.get(module);
          for (ServiceSettings.Required required : service.required()) {
            if (!provides(workload, required.variables())) {
              problems.add(
                  workload.where()
                      + ": sets none of "
                      + required.variables()
                      + " ("
                      + required.property()
                      + ": "
                      + required.why()
                      + ")");
            }
          }
          Set<String> keyVariables = new LinkedHashSet<>();
          for (String property : TOKEN_KEY_PROPERTIES) {
            keyVariables.addAll(
                ServiceSettings.variables(property, placeholderOf(service, property)));
          }
          if (!provides(workload, keyVariables)) {
            problems.add(
                workload.where() + ": no token verification key, set one of " + keyVariables);
          }
          String keyFile =
              workload.literal("LEDGERLINE_SECURITY_JWT_PUBLIC_KEY_LOCATION").orElse("");
          if (keyFile.startsWith("file:") && !workload.files().containsKey(keyFile.substring(5))) {
            problems.add(
                workload.where()
                    + ": reads the token key from "
                    + keyFile
                    + ", which is not mounted");
          }
          String profiles = workload.literal("SPRING_PROFILES_ACTIVE").orElse("");
          if (List.of(profiles.split(",")).contains("production")) {
            String issuer = workload.literal("LEDGERLINE_SECURITY_JWT_ISSUER").orElse(null);
            if (issuer == null
                || issuer.isBlank()
                || issuer.equals(ServiceSettings.DEVELOPMENT_ISSUER)) {
              problems.add(
                  workload.where()
                      + ": the production profile refuses the token issuer "
                      + (issuer == null ? ServiceSettings.DEVELOPMENT_ISSUER : issuer)
                      + "; set LEDGERLINE_SECURITY_JWT_ISSUER");
            }
          }
        });
    assertNoProblems(problems);
  }

  @Test
  void healthChecksAskTheActuatorsHealthGroupsOnTheServicePort() {
    List<String> problems = new ArrayList<>();
    forEachService(
        (workload, module) -> {
          ServiceSettings service = settings.get(module);
          int port = service.port(workload.literals());
          Set<String> groups = service.healthGroups();
          if (!service.exposesHealth()) {
            problems.add(module + ": application.yml does not expose the health endpoint");
          }
          if (!workload.ports().containsValue(port)) {
            problems.add(
                workload.where() + ": does not expose port " + port + " the service listens on");
          }
          boolean kubernetes = workload.where().startsWith("k8s/");
          List<String> kinds =
              kubernetes ? List.of("liveness", "readiness") : List.of("healthcheck");
          for (String kind : kinds) {
            if (workload.probes().stream().noneMatch(p -> p.kind().equals(kind))) {
              problems.add(workload.where() + ": has no " + kind + " check");
            }
          }
          for (Workload.Probe probe : workload.probes()) {
            String prefix = "/actuator/health/";
            String group =
                probe.path() != null && probe.path().startsWith(prefix)
                    ? probe.path().substring(prefix.length())
                    : null;
            if (group == null || !groups.contains(group)) {
              problems.add(
                  workload.where()
                      + ": its "
                      + probe.kind()
                      + " check asks "
                      + probe.path()
                      + ", not one of the health groups "
                      + groups);
            } else if ((probe.kind().equals("liveness") || probe.kind().equals("readiness"))
                && !group.equals(probe.kind())) {
              problems.add(
                  workload.where()
                      + ": its "
                      + probe.kind()
                      + " probe asks the "
                      + group
                      + " group");
            }
            if (probe.port() != port) {
              problems.add(
                  workload.where()
                      + ": its "
                      + probe.kind()
                      + " check asks port "
                      + probe.port()
                      + ", the service listens on "
                      + port);
            }
          }
        });
    assertNoProblems(problems);
  }

  @Test
  void everyServiceRunsAtLeastTwoReplicasThatADisruptionBudgetKeepsAvailable() {
    List<String> problems = new ArrayList<>();
    overlays.forEach(
        (overlay, resources) -> {
          for (Map<String, Object> deployment : Workload.kind(resources, "Deployment")) {
            String name = Yaml.stringAt(deployment, "metadata.name");
            int replicas =
                Integer.parseInt(Yaml.at(deployment, "spec.replicas").orElse(1).toString());
            Map<String, Object> labels = Yaml.mapAt(deployment, "spec.template.metadata.labels");
            if (replicas < 2) {
              problems.add(overlay + ": Deployment " + name + " runs " + replicas + " replica(s)");
            }
            if (!selects(Yaml.mapAt(deployment, "spec.selector.matchLabels"), labels)) {
              problems.add(overlay + ": Deployment " + name + "'s selector misses its own pods");
            }
            List<Map<String, Object>> budgets =
                Workload.kind(resources, "PodDisruptionBudget").stream()
                    .filter(b -> selects(Yaml.mapAt(b, "spec.selector.matchLabels"), labels))
                    .toList();
            if (budgets.size() != 1) {
              problems.add(
                  overlay
                      + ": "
                      + budgets.size()
                      + " disruption budgets select Deployment "
                      + name);
            }
            for (Map<String, Object> budget : budgets) {
              Optional<Object> maxUnavailable = Yaml.at(budget, "spec.maxUnavailable");
              Optional<Object> minAvailable = Yaml.at(budget, "spec.minAvailable");
              int keeps =
                  maxUnavailable.isPresent()
                      ? replicas - count(maxUnavailable.get(), replicas)
                      : minAvailable.map(v -> count(v, replicas)).orElse(0);
              if (keeps < 1 || keeps >= replicas) {
                problems.add(
                    overlay
                        + ": the disruption budget of "
                        + name
                        + " keeps "
                        + keeps
                        + " of "
                        + replicas
                        + " pods (at least one, and a node must be drainable)");
              }
            }
            boolean served =
                Workload.kind(resources, "Service").stream()
                    .anyMatch(s -> selects(Yaml.mapAt(s, "spec.selector"), labels));
            if (!served) {
              problems.add(overlay + ": no Service selects Deployment " + name);
            }
          }
          for (Map<String, Object> service : Workload.kind(resources, "Service")) {
            Map<String, Object> selector = Yaml.mapAt(service, "spec.selector");
            Optional<Map<String, Object>> deployment =
                Workload.kind(resources, "Deployment").stream()
                    .filter(d -> selects(selector, Yaml.mapAt(d, "spec.template.metadata.labels")))
                    .findFirst();
            for (Map<String, Object> port : Yaml.mapsAt(service, "spec.ports")) {
              String target = String.valueOf(port.getOrDefault("targetPort", port.get("port")));
              boolean resolves =
                  deployment.stream()
                      .flatMap(d -> Yaml.mapsAt(d, "spec.template.spec.containers").stream())
                      .flatMap(c -> Yaml.mapsAt(c, "ports").stream())
                      .anyMatch(
                          p ->
                              target.equals(String.valueOf(p.get("name")))
                                  || target.equals(String.valueOf(p.get("containerPort"))));
              if (!resolves) {
                problems.add(
                    overlay
                        + ": Service "
                        + Yaml.stringAt(service, "metadata.name")
                        + " targets port "
                        + target
                        + ", which no selected container has");
              }
            }
          }
        });
    assertNoProblems(problems);
  }

  @Test
  void podsRunAsTheImagesNonRootUserWithinLimitsOnAReadOnlyRoot() {
    List<String> problems = new ArrayList<>();
    overlays.forEach(
        (overlay, resources) -> {
          for (Map<String, Object> deployment : Workload.kind(resources, "Deployment")) {
            String name = Yaml.stringAt(deployment, "metadata.name");
            Map<String, Object> pod = Yaml.mapAt(deployment, "spec.template.spec");
            for (Map<String, Object> container : Yaml.mapsAt(pod, "containers")) {
              String where = overlay + ": " + name + "/" + container.get("name");
              Optional<JibImage> image =
                  images.values().stream()
                      .filter(i -> i.reference().equals(container.get("image")))
                      .findFirst();
              Object nonRoot =
                  Yaml.at(container, "securityContext.runAsNonRoot")
                      .orElse(Yaml.at(pod, "securityContext.runAsNonRoot").orElse(false));
              if (!Boolean.TRUE.equals(nonRoot)) {
                problems.add(where + ": runAsNonRoot is not set");
              }
              Optional<Object> user =
                  Yaml.at(container, "securityContext.runAsUser")
                      .or(() -> Yaml.at(pod, "securityContext.runAsUser"));
              if (image.isPresent()
                  && user.isPresent()
                  && Long.parseLong(user.get().toString()) != image.get().uid()) {
                problems.add(
                    where
                        + ": runs as user "
                        + user.get()
                        + ", the image's user is "
                        + image.get().user());
              }
              for (String limit :
                  List.of("limits.memory", "limits.cpu", "requests.memory", "requests.cpu")) {
                if (Yaml.at(container, "resources." + limit).isEmpty()) {
                  problems.add(where + ": no resources." + limit);
                }
              }
              Object memoryLimit = Yaml.at(container, "resources.limits.memory").orElse(null);
              Object memoryRequest = Yaml.at(container, "resources.requests.memory").orElse(null);
              if (memoryLimit != null
                  && !String.valueOf(memoryLimit).equals(String.valueOf(memoryRequest))) {
                // The heap is a share of the limit (MaxRAMPercentage): a request below it lets the
                // node run out of memory under a pod that stays within its limit.
                problems.add(
                    where
                        + ": requests "
                        + memoryRequest
                        + " of memory but may use "
                        + memoryLimit);
              }
              boolean readOnly =
                  Boolean.TRUE.equals(
                      Yaml.at(container, "securityContext.readOnlyRootFilesystem").orElse(false));
              boolean writableTmp =
                  Yaml.mapsAt(container, "volumeMounts").stream()
                      .anyMatch(m -> "/tmp".equals(m.get("mountPath")));
              if (!readOnly) {
                problems.add(where + ": the root filesystem is writable");
              } else if (!writableTmp) {
                problems.add(where + ": a read-only root with no /tmp volume: Tomcat cannot start");
              }
            }
          }
        });
    assertNoProblems(problems);
  }

  @Test
  void everySecretAndConfigMapReferenceNamesAKeyThatExists() {
    List<String> problems = new ArrayList<>();
    overlays.forEach(
        (overlay, resources) -> {
          for (Map<String, Object> deployment : Workload.kind(resources, "Deployment")) {
            String name = overlay + ": Deployment " + Yaml.stringAt(deployment, "metadata.name");
            Map<String, Object> pod = Yaml.mapAt(deployment, "spec.template.spec");
            for (Map<String, Object> container : Yaml.mapsAt(pod, "containers")) {
              for (Map<String, Object> variable : Yaml.mapsAt(container, "env")) {
                String what = name + " env " + variable.get("name");
                ref(resources, "Secret", variable, "valueFrom.secretKeyRef", what, problems);
                ref(resources, "ConfigMap", variable, "valueFrom.configMapKeyRef", what, problems);
              }
              for (Map<String, Object> source : Yaml.mapsAt(container, "envFrom")) {
                for (String kind : List.of("Secret", "ConfigMap")) {
                  String refName =
                      Yaml.stringAt(
                          source, (kind.equals("Secret") ? "secretRef" : "configMapRef") + ".name");
                  if (refName != null && Workload.named(resources, kind, refName).isEmpty()) {
                    problems.add(name + " envFrom: no " + kind + " " + refName);
                  }
                }
              }
            }
            for (Map<String, Object> volume : Yaml.mapsAt(pod, "volumes")) {
              String secret = Yaml.stringAt(volume, "secret.secretName");
              if (secret == null) {
                continue;
              }
              Optional<Map<String, Object>> found = Workload.named(resources, "Secret", secret);
              if (found.isEmpty()) {
                problems.add(name + " volume " + volume.get("name") + ": no Secret " + secret);
                continue;
              }
              for (Map<String, Object> item : Yaml.mapsAt(volume, "secret.items")) {
                if (!Workload.secretKeys(found.get()).contains(String.valueOf(item.get("key")))) {
                  problems.add(
                      name
                          + " volume "
                          + volume.get("name")
                          + ": Secret "
                          + secret
                          + " has no key "
                          + item.get("key"));
                }
              }
            }
          }
          for (Map<String, Object> cluster : Workload.kind(resources, "Cluster")) {
            String where = overlay + ": Cluster " + Yaml.stringAt(cluster, "metadata.name");
            List<String> secrets = new ArrayList<>();
            Optional.ofNullable(Yaml.stringAt(cluster, "spec.bootstrap.initdb.secret.name"))
                .ifPresent(secrets::add);
            for (Map<String, Object> role : Yaml.mapsAt(cluster, "spec.managed.roles")) {
              Optional.ofNullable(Yaml.stringAt(role, "passwordSecret.name"))
                  .ifPresent(secrets::add);
            }
            for (String secret : secrets) {
              requireKeys(resources, secret, List.of("username", "password"), where, problems);
            }
          }
          for (Map<String, Object> elasticsearch : Workload.kind(resources, "Elasticsearch")) {
            String where =
                overlay + ": Elasticsearch " + Yaml.stringAt(elasticsearch, "metadata.name");
            for (Map<String, Object> realm : Yaml.mapsAt(elasticsearch, "spec.auth.fileRealm")) {
              requireKeys(
                  resources,
                  String.valueOf(realm.get("secretName")),
                  List.of("username", "password"),
                  where,
                  problems);
            }
            for (Map<String, Object> roles : Yaml.mapsAt(elasticsearch, "spec.auth.roles")) {
              requireKeys(
                  resources,
                  String.valueOf(roles.get("secretName")),
                  List.of("roles.yml"),
                  where,
                  problems);
            }
          }
        });
    Map<String, Object> compose = Yaml.document(deploy.resolve("compose.yaml"));
    Map<String, Object> declared = Yaml.mapAt(compose, "secrets");
    for (Map.Entry<String, Object> service : Yaml.mapAt(compose, "services").entrySet()) {
      for (Object secret : Yaml.listAt(Yaml.map(service.getValue(), service.getKey()), "secrets")) {
        String source =
            secret instanceof Map<?, ?> entry
                ? String.valueOf(entry.get("source"))
                : String.valueOf(secret);
        if (!declared.containsKey(source)
            || Yaml.stringAt(Yaml.map(declared.get(source), source), "file") == null) {
          problems.add(
              "compose.yaml service " + service.getKey() + ": secret " + source + " has no file");
        }
      }
    }
    assertNoProblems(problems);
  }

  @Test
  void servicesConnectToTheMiddlewareTheDescriptorsRun() {
    List<String> problems = new ArrayList<>();
    overlays.forEach(
        (overlay, resources) -> {
          Map<String, Object> cluster = only(resources, "Cluster", overlay, problems);
          Map<String, Object> kafka = only(resources, "Kafka", overlay, problems);
          Map<String, Object> elasticsearch = only(resources, "Elasticsearch", overlay, problems);
          if (cluster == null || kafka == null || elasticsearch == null) {
            return;
          }
          String database =
              Yaml.stringAt(cluster, "metadata.name")
                  + "-rw:5432/"
                  + Yaml.stringAt(cluster, "spec.bootstrap.initdb.database");
          Set<String> bootstraps = new TreeSet<>();
          for (Map<String, Object> listener : Yaml.mapsAt(kafka, "spec.kafka.listeners")) {
            if (Boolean.FALSE.equals(listener.get("tls"))
                && listener.get("authentication") == null) {
              bootstraps.add(
                  Yaml.stringAt(kafka, "metadata.name")
                      + "-kafka-bootstrap:"
                      + listener.get("port"));
            }
          }
          boolean plainHttp =
              Boolean.TRUE.equals(
                  Yaml.at(elasticsearch, "spec.http.tls.selfSignedCertificate.disabled")
                      .orElse(false));
          String search =
              (plainHttp ? "http://" : "https://")
                  + Yaml.stringAt(elasticsearch, "metadata.name")
                  + "-es-http:9200";
          Set<String> realmSecrets = new TreeSet<>();
          Yaml.mapsAt(elasticsearch, "spec.auth.fileRealm")
              .forEach(r -> realmSecrets.add(String.valueOf(r.get("secretName"))));
          for (Workload workload : Workload.kubernetes(overlay, resources)) {
            String url = workload.literal("SPRING_DATASOURCE_URL").orElse("");
            if (!url.equals("jdbc:postgresql://" + database)) {
              problems.add(
                  workload.where() + ": SPRING_DATASOURCE_URL " + url + " is not " + database);
            }
            String servers = workload.literal("SPRING_KAFKA_BOOTSTRAP_SERVERS").orElse("");
            if (!bootstraps.contains(servers)) {
              problems.add(
                  workload.where()
                      + ": Kafka "
                      + servers
                      + " is none of the plain listeners "
                      + bootstraps);
            }
            if (needs(workload, "spring.elasticsearch.uris")) {
              String uris = workload.literal("SPRING_ELASTICSEARCH_URIS").orElse("");
              if (!uris.equals(search)) {
                problems.add(workload.where() + ": Elasticsearch " + uris + " is not " + search);
              }
              for (String credential :
                  List.of("SPRING_ELASTICSEARCH_USERNAME", "SPRING_ELASTICSEARCH_PASSWORD")) {
                Workload.Setting setting = workload.environment().get(credential);
                if (setting == null || !realmSecrets.contains(setting.secret())) {
                  problems.add(
                      workload.where()
                          + ": "
                          + credential
                          + " is not from a user of the Elasticsearch (ECK keeps its security on)");
                }
              }
            }
          }
        });
    Map<String, Object> compose = Yaml.document(deploy.resolve("compose.yaml"));
    Map<String, Object> services = Yaml.mapAt(compose, "services");
    for (Workload workload : composeWorkloads()) {
      String url = workload.literal("SPRING_DATASOURCE_URL").orElse("");
      Matcher jdbc = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(\\w+)").matcher(url);
      if (!jdbc.matches()
          || !image(services, jdbc.group(1)).startsWith("postgres:")
          || !jdbc.group(2).equals("5432")) {
        problems.add(
            workload.where() + ": SPRING_DATASOURCE_URL " + url + " is not the postgres service");
      }
      String servers = workload.literal("SPRING_KAFKA_BOOTSTRAP_SERVERS").orElse("");
      String advertised =
          Yaml.stringAt(
              Yaml.map(services.getOrDefault(servers.split(":")[0], Map.of()), "kafka"),
              "environment.KAFKA_ADVERTISED_LISTENERS");
      if (advertised == null || !advertised.contains("//" + servers)) {
        problems.add(
            workload.where()
                + ": Kafka "
                + servers
                + " is no listener a compose service advertises");
      }
      if (needs(workload, "spring.elasticsearch.uris")) {
        String uris = workload.literal("SPRING_ELASTICSEARCH_URIS").orElse("");
        Matcher http = Pattern.compile("http://([^:/]+):9200").matcher(uris);
        boolean open =
            http.matches()
                && image(services, http.group(1)).contains("/elasticsearch:")
                && "false"
                    .equals(
                        String.valueOf(
                            Yaml.mapAt(Yaml.map(services.get(http.group(1)), "es"), "environment")
                                .get("xpack.security.enabled")));
        if (!open && workload.environment().get("SPRING_ELASTICSEARCH_USERNAME") == null) {
          problems.add(
              workload.where()
                  + ": Elasticsearch "
                  + uris
                  + " is not the open elasticsearch service");
        }
      }
    }
    assertNoProblems(problems);
  }

  @Test
  void theDatabaseRolesExistBeforeTheFirstMigrationGrantsThemAnything() throws IOException {
    Set<String> migrationRoles = new TreeSet<>();
    try (Stream<Path> files =
        Files.list(repository.resolve("command-side/src/main/resources/db/migration"))) {
      for (Path file : files.toList()) {
        Matcher role = Pattern.compile("rolname\\s*=\\s*'(\\w+)'").matcher(Files.readString(file));
        while (role.find()) {
          migrationRoles.add(role.group(1));
        }
      }
    }
    assertThat(migrationRoles)
        .as("roles the migrations grant to")
        .containsAll(DATABASE_ROLES.values());
    List<String> problems = new ArrayList<>();
    overlays.forEach(
        (overlay, resources) -> {
          Map<String, Object> cluster = only(resources, "Cluster", overlay, problems);
          if (cluster == null) {
            return;
          }
          String created =
              String.join(
                  "\n",
                  Yaml.listAt(cluster, "spec.bootstrap.initdb.postInitApplicationSQL").stream()
                      .map(String::valueOf)
                      .toList());
          String owner = Yaml.stringAt(cluster, "spec.bootstrap.initdb.owner");
          for (String role : migrationRoles) {
            if (!Pattern.compile("(?i)CREATE ROLE " + role + "\\b").matcher(created).find()) {
              problems.add(
                  overlay
                      + ": the Cluster's initdb does not create "
                      + role
                      + " before the migrations run");
            }
            Optional<Map<String, Object>> managed =
                Yaml.mapsAt(cluster, "spec.managed.roles").stream()
                    .filter(r -> role.equals(r.get("name")))
                    .findFirst();
            if (managed.isEmpty() || !Boolean.TRUE.equals(managed.get().get("login"))) {
              problems.add(
                  overlay
                      + ": the Cluster does not manage "
                      + role
                      + " as a login role with a password");
            } else {
              expectUser(
                  resources,
                  Yaml.stringAt(managed.get(), "passwordSecret.name"),
                  role,
                  overlay,
                  problems);
            }
          }
          expectUser(
              resources,
              Yaml.stringAt(cluster, "spec.bootstrap.initdb.secret.name"),
              owner,
              overlay,
              problems);
          for (Workload workload : Workload.kubernetes(overlay, resources)) {
            String module = moduleOf(workload);
            if (module == null) {
              continue; // composeAndEveryOverlayRunTheImagesJibBuilds names it
            }
            Workload.Setting user = workload.environment().get("SPRING_DATASOURCE_USERNAME");
            if (user != null && user.secret() != null) {
              expectUser(
                  resources, user.secret(), DATABASE_ROLES.get(module), workload.where(), problems);
            }
            Workload.Setting flyway = workload.environment().get("SPRING_FLYWAY_USER");
            if (module.equals("command-side")) {
              if (flyway == null || flyway.secret() == null) {
                problems.add(
                    workload.where() + ": the migrations do not run as the database owner");
              } else {
                expectUser(resources, flyway.secret(), owner, workload.where(), problems);
              }
            }
          }
        });
    String script = Files.readString(deploy.resolve("compose/postgres-init.sh"));
    boolean mounted =
        Yaml.listAt(
                Yaml.mapAt(Yaml.document(deploy.resolve("compose.yaml")), "services.postgres"),
                "volumes")
            .stream()
            .anyMatch(
                v ->
                    String.valueOf(v)
                        .startsWith("./compose/postgres-init.sh:/docker-entrypoint-initdb.d/"));
    if (!mounted) {
      problems.add(
          "compose.yaml: postgres does not run compose/postgres-init.sh on a new database");
    }
    for (Workload workload : composeWorkloads()) {
      String module = moduleOf(workload);
      if (module == null) {
        continue; // composeAndEveryOverlayRunTheImagesJibBuilds names it
      }
      String user = workload.literal("SPRING_DATASOURCE_USERNAME").orElse("");
      if (!user.equals(DATABASE_ROLES.get(module))) {
        problems.add(
            workload.where() + ": connects as " + user + ", not " + DATABASE_ROLES.get(module));
      }
      List<String> roles = new ArrayList<>(List.of(user));
      workload.literal("SPRING_FLYWAY_USER").ifPresent(roles::add);
      for (String role : roles) {
        if (!Pattern.compile("CREATE ROLE " + role + "\\b").matcher(script).find()) {
          problems.add("compose/postgres-init.sh: does not create the role " + role);
        }
      }
      if (module.equals("command-side")) {
        String owner = workload.literal("SPRING_FLYWAY_USER").orElse("");
        if (!Pattern.compile("CREATE DATABASE ledgerline OWNER " + owner + "\\b")
            .matcher(script)
            .find()) {
          problems.add(workload.where() + ": the migrations do not run as the database owner");
        }
      }
    }
    assertNoProblems(problems);
  }

  @Test
  void kafkaTopicsAreTheOnesTheServicesUseReplicatedAsTheBrokersAllow() {
    List<String> problems = new ArrayList<>();
    overlays.forEach(
        (overlay, resources) -> {
          Map<String, Object> kafka = only(resources, "Kafka", overlay, problems);
          if (kafka == null) {
            return;
          }
          String cluster = Yaml.stringAt(kafka, "metadata.name");
          int brokers =
              Workload.kind(resources, "KafkaNodePool").stream()
                  .filter(p -> cluster.equals(label(p, "strimzi.io/cluster")))
                  .filter(p -> Yaml.listAt(p, "spec.roles").contains("broker"))
                  .mapToInt(
                      p -> Integer.parseInt(String.valueOf(Yaml.at(p, "spec.replicas").orElse(0))))
                  .sum();
          if (brokers < 1) {
            problems.add(overlay + ": no node pool of Kafka " + cluster + " has the broker role");
          }
          Map<String, Object> config = Yaml.mapAt(kafka, "spec.kafka.config");
          for (String factor :
              List.of(
                  "default.replication.factor",
                  "offsets.topic.replication.factor",
                  "transaction.state.log.replication.factor",
                  "min.insync.replicas",
                  "transaction.state.log.min.isr")) {
            if (config.containsKey(factor)
                && Integer.parseInt(String.valueOf(config.get(factor))) > brokers) {
              problems.add(
                  overlay
                      + ": Kafka "
                      + factor
                      + " "
                      + config.get(factor)
                      + " with "
                      + brokers
                      + " broker(s)");
            }
          }
          Map<String, Map<String, Object>> topics = new LinkedHashMap<>();
          for (Map<String, Object> topic : Workload.kind(resources, "KafkaTopic")) {
            String name =
                Optional.ofNullable(Yaml.stringAt(topic, "spec.topicName"))
                    .orElse(Yaml.stringAt(topic, "metadata.name"));
            topics.put(name, topic);
            if (!cluster.equals(label(topic, "strimzi.io/cluster"))) {
              problems.add(
                  overlay + ": KafkaTopic " + name + " belongs to no Kafka of this overlay");
            }
            int replicas =
                Integer.parseInt(String.valueOf(Yaml.at(topic, "spec.replicas").orElse(0)));
            int minInsync =
                Integer.parseInt(
                    String.valueOf(
                        Yaml.mapAt(topic, "spec.config").getOrDefault("min.insync.replicas", 1)));
            if (replicas < 1 || replicas > brokers || minInsync > replicas) {
              problems.add(
                  overlay
                      + ": KafkaTopic "
                      + name
                      + " has "
                      + replicas
                      + " replicas, min.insync.replicas "
                      + minInsync
                      + ", with "
                      + brokers
                      + " broker(s)");
            }
          }
          for (String used : List.of(EventWireFormat.EVENTS_TOPIC, DEAD_LETTER_TOPIC)) {
            if (!topics.containsKey(used)) {
              problems.add(overlay + ": no KafkaTopic " + used);
            }
          }
          Map<String, Object> events = topics.get(EventWireFormat.EVENTS_TOPIC);
          for (Workload workload : Workload.kubernetes(overlay, resources)) {
            if (events == null) {
              break;
            }
            Map<String, String> env = workload.literals();
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put(
                "LEDGERLINE_KAFKA_EVENTS_TOPIC_PARTITIONS",
                Yaml.stringAt(events, "spec.partitions"));
            expected.put(
                "LEDGERLINE_KAFKA_EVENTS_TOPIC_REPLICAS", Yaml.stringAt(events, "spec.replicas"));
            expected.put(
                "LEDGERLINE_KAFKA_EVENTS_TOPIC_MIN_INSYNC_REPLICAS",
                String.valueOf(Yaml.mapAt(events, "spec.config").get("min.insync.replicas")));
            expected.forEach(
                (variable, value) -> {
                  if (!value.equals(env.get(variable))) {
                    problems.add(
                        workload.where()
                            + ": "
                            + variable
                            + " is "
                            + env.get(variable)
                            + ", the KafkaTopic "
                            + EventWireFormat.EVENTS_TOPIC
                            + " says "
                            + value);
                  }
                });
          }
        });
    assertNoProblems(problems);
  }

  @Test
  void theQuerySidesElasticsearchUserMayUseEveryReadModel() throws IOException {
    List<String> readModels = new ArrayList<>();
    try (Stream<Path> mappings =
        Files.list(repository.resolve("query-side/src/main/resources/elasticsearch"))) {
      mappings
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - ".json".length()))
          .sorted()
          .forEach(readModels::add);
    }
    assertThat(readModels).as("the read models' mappings").isNotEmpty();
    List<String> problems = new ArrayList<>();
    overlays.forEach(
        (overlay, resources) -> {
          Map<String, Object> elasticsearch = only(resources, "Elasticsearch", overlay, problems);
          if (elasticsearch == null) {
            return;
          }
          Map<String, Object> roles = new LinkedHashMap<>();
          for (Map<String, Object> source : Yaml.mapsAt(elasticsearch, "spec.auth.roles")) {
            Workload.named(resources, "Secret", String.valueOf(source.get("secretName")))
                .flatMap(s -> Workload.secretValue(s, "roles.yml"))
                .map(
                    text ->
                        new org.yaml.snakeyaml.Yaml(
                                new org.yaml.snakeyaml.constructor.SafeConstructor(
                                    new org.yaml.snakeyaml.LoaderOptions()))
                            .<Object>load(text))
                .ifPresent(parsed -> roles.putAll(Yaml.map(parsed, "roles.yml")));
          }
          for (Map<String, Object> realm : Yaml.mapsAt(elasticsearch, "spec.auth.fileRealm")) {
            String secretName = String.valueOf(realm.get("secretName"));
            String userRoles =
                Workload.named(resources, "Secret", secretName)
                    .flatMap(s -> Workload.secretValue(s, "roles"))
                    .orElse("");
            List<String> patterns = new ArrayList<>();
            for (String role : userRoles.split(",")) {
              if (!roles.containsKey(role.trim())) {
                problems.add(
                    overlay
                        + ": the user of "
                        + secretName
                        + " has the role '"
                        + role
                        + "', which no roles.yml defines");
                continue;
              }
              for (Map<String, Object> indices :
                  Yaml.mapsAt(Yaml.map(roles.get(role.trim()), role), "indices")) {
                if (Yaml.listAt(indices, "privileges").contains("all")) {
                  Yaml.listAt(indices, "names").forEach(n -> patterns.add(String.valueOf(n)));
                }
              }
            }
            for (String readModel : readModels) {
              for (String index : List.of(readModel, readModel + "-v1", readModel + "-v2")) {
                if (patterns.stream()
                    .noneMatch(p -> index.matches(p.replace(".", "\\.").replace("*", ".*")))) {
                  problems.add(
                      overlay
                          + ": the user of "
                          + secretName
                          + " may not manage the index "
                          + index);
                }
              }
            }
          }
        });
    assertNoProblems(problems);
  }

  @Test
  void theMiddlewareVersionsAreTheLocalStacks() throws ReflectiveOperationException {
    String kafka = localStackVersion("KAFKA");
    String elasticsearch = localStackVersion("ELASTICSEARCH");
    String postgresMajor = localStackVersion("POSTGRES_BINARIES").split("\\.")[0];
    List<String> problems = new ArrayList<>();
    Map<String, Object> services =
        Yaml.mapAt(Yaml.document(deploy.resolve("compose.yaml")), "services");
    Map<String, String> composeImages = new LinkedHashMap<>();
    services.forEach((name, definition) -> composeImages.put(name, image(services, name)));
    expectImage(composeImages, "postgres:", postgresMajor + ".", problems);
    expectImage(composeImages, "apache/kafka:", kafka, problems);
    expectImage(
        composeImages, "docker.elastic.co/elasticsearch/elasticsearch:", elasticsearch, problems);
    overlays.forEach(
        (overlay, resources) -> {
          Workload.kind(resources, "Kafka")
              .forEach(
                  k -> {
                    if (!kafka.equals(Yaml.stringAt(k, "spec.kafka.version"))) {
                      problems.add(
                          overlay
                              + ": Kafka "
                              + Yaml.stringAt(k, "spec.kafka.version")
                              + ", the local stack runs "
                              + kafka);
                    }
                  });
          Workload.kind(resources, "Elasticsearch")
              .forEach(
                  e -> {
                    if (!elasticsearch.equals(Yaml.stringAt(e, "spec.version"))) {
                      problems.add(
                          overlay
                              + ": Elasticsearch "
                              + Yaml.stringAt(e, "spec.version")
                              + ", the local stack runs "
                              + elasticsearch);
                    }
                  });
          Workload.kind(resources, "Cluster")
              .forEach(
                  c -> {
                    String image = String.valueOf(Yaml.stringAt(c, "spec.imageName"));
                    if (!image
                        .substring(image.lastIndexOf(':') + 1)
                        .startsWith(postgresMajor + ".")) {
                      problems.add(
                          overlay
                              + ": PostgreSQL "
                              + image
                              + ", the local stack runs "
                              + postgresMajor);
                    }
                  });
        });
    assertNoProblems(problems);
  }

  private static void expectImage(
      Map<String, String> images, String repository, String tagPrefix, List<String> problems) {
    List<String> matching = images.values().stream().filter(i -> i.startsWith(repository)).toList();
    if (matching.size() != 1
        || !matching.get(0).substring(repository.length()).startsWith(tagPrefix)) {
      problems.add(
          "compose.yaml: " + matching + " where the local stack runs " + repository + tagPrefix);
    }
  }

  private static String localStackVersion(String constant) throws ReflectiveOperationException {
    var field = Class.forName("io.ledgerline.infra.localstack.Versions").getDeclaredField(constant);
    field.setAccessible(true);
    return String.valueOf(field.get(null));
  }

  // Helpers.

  private interface DescriptorCheck {
    void check(String descriptor, List<Workload> workloads);
  }

  private static void forEachDescriptor(DescriptorCheck check) {
    check.check("infra/deploy/compose.yaml", composeWorkloads());
    overlays.forEach(
        (overlay, resources) -> check.check(overlay, Workload.kubernetes(overlay, resources)));
  }

  private static void forEachService(java.util.function.BiConsumer<Workload, String> check) {
    forEachDescriptor(
        (descriptor, workloads) -> {
          for (Workload workload : workloads) {
            String module = moduleOf(workload);
            if (module != null) {
              check.accept(workload, module);
            }
          }
        });
  }

  private static List<Workload> composeWorkloads() {
    return Workload.compose(
        deploy.resolve("compose.yaml"), images.values().stream().map(JibImage::reference).toList());
  }

  private static String moduleOf(Workload workload) {
    return images.values().stream()
        .filter(i -> i.reference().equals(workload.image()))
        .map(JibImage::module)
        .findFirst()
        .orElse(null);
  }

  /** Whether the service needs the property set (it is among its required settings). */
  private static boolean needs(Workload workload, String property) {
    String module = moduleOf(workload);
    return module != null
        && settings.get(module).required().stream().anyMatch(r -> r.property().equals(property));
  }

  private static boolean provides(Workload workload, Set<String> variables) {
    return variables.stream()
        .map(workload.environment()::get)
        .anyMatch(s -> s != null && !s.isEmptyLiteral());
  }

  private static String placeholderOf(ServiceSettings service, String property) {
    Matcher matcher =
        Pattern.compile("\\$\\{([^}:]+)")
            .matcher(String.valueOf(service.properties().get(property)));
    return matcher.find() ? matcher.group(1) : null;
  }

  private static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
    return !selector.isEmpty()
        && selector.entrySet().stream()
            .allMatch(
                e -> String.valueOf(e.getValue()).equals(String.valueOf(labels.get(e.getKey()))));
  }

  private static int count(Object value, int replicas) {
    String text = String.valueOf(value);
    if (text.endsWith("%")) {
      return (int)
          Math.ceil(replicas * Integer.parseInt(text.substring(0, text.length() - 1)) / 100.0);
    }
    return Integer.parseInt(text);
  }

  private static void ref(
      List<Map<String, Object>> resources,
      String kind,
      Map<String, Object> holder,
      String path,
      String what,
      List<String> problems) {
    String name = Yaml.stringAt(holder, path + ".name");
    String key = Yaml.stringAt(holder, path + ".key");
    if (name == null) {
      return;
    }
    Optional<Map<String, Object>> found = Workload.named(resources, kind, name);
    List<String> keys =
        found
            .map(
                r ->
                    kind.equals("Secret")
                        ? Workload.secretKeys(r)
                        : new ArrayList<>(Yaml.mapAt(r, "data").keySet()))
            .orElse(List.of());
    if (found.isEmpty()) {
      problems.add(what + ": no " + kind + " " + name);
    } else if (!keys.contains(key)) {
      problems.add(
          what + ": " + kind + " " + name + " has no key " + key + " (it has " + keys + ")");
    }
  }

  private static void requireKeys(
      List<Map<String, Object>> resources,
      String secret,
      List<String> keys,
      String where,
      List<String> problems) {
    Optional<Map<String, Object>> found = Workload.named(resources, "Secret", secret);
    if (found.isEmpty()) {
      problems.add(where + ": names the Secret " + secret + ", which is not there");
      return;
    }
    for (String key : keys) {
      if (!Workload.secretKeys(found.get()).contains(key)) {
        problems.add(where + ": Secret " + secret + " has no key " + key);
      }
    }
  }

  private static void expectUser(
      List<Map<String, Object>> resources,
      String secret,
      String user,
      String where,
      List<String> problems) {
    String written =
        Workload.named(resources, "Secret", String.valueOf(secret))
            .flatMap(s -> Workload.secretValue(s, "username"))
            .orElse(null);
    if (written == null || !written.equals(user)) {
      problems.add(
          where + ": the Secret " + secret + " names the user " + written + ", not " + user);
    }
  }

  private static Map<String, Object> only(
      List<Map<String, Object>> resources, String kind, String overlay, List<String> problems) {
    List<Map<String, Object>> found = Workload.kind(resources, kind);
    if (found.size() != 1) {
      problems.add(overlay + ": " + found.size() + " " + kind + " resources, not 1");
      return null;
    }
    return found.get(0);
  }

  private static String image(Map<String, Object> services, String service) {
    Object definition = services.get(service);
    return definition == null
        ? ""
        : Workload.interpolate(String.valueOf(Yaml.map(definition, service).get("image")));
  }

  private static String label(Map<String, Object> resource, String name) {
    Object value = Yaml.mapAt(resource, "metadata.labels").get(name);
    return value == null ? null : String.valueOf(value);
  }

  private static String rootProperty(String name) {
    try {
      Matcher matcher =
          Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</" + Pattern.quote(name) + ">")
              .matcher(Files.readString(repository.resolve("pom.xml")));
      return matcher.find() ? matcher.group(1).trim() : null;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void assertNoProblems(List<String> problems) {
    assertThat(problems)
        .withFailMessage(
            "The deployment descriptors do not fit the application:%n  %s",
            String.join(System.lineSeparator() + "  ", problems))
        .isEmpty();
  }
}
