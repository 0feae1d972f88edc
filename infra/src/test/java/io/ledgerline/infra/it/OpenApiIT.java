package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.JSON;
import static io.ledgerline.infra.it.Ledgerline.config;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The committed OpenAPI descriptions in {@code docs/openapi} are what the running services serve at
 * {@code /v3/api-docs}, compared as JSON trees (the order of object members aside): clients are
 * generated from those files and Spectral lints them, so they must not drift from the services.
 * With {@value #UPDATE} the test writes what the services serve into the files instead, for review:
 * {@value #REGENERATE}.
 */
@SystemTest
class OpenApiIT {

  static final String UPDATE = "-Dopenapi.update=true";

  static final String REGENERATE =
      "./mvnw -B install -DskipTests && ./mvnw -B -pl infra verify -Dtest=none"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=OpenApiIT "
          + UPDATE;

  @Test
  void theCommandSideServesItsCommittedDescription() throws IOException {
    assertServes(config().commandUrl(), "docs/openapi/command-side.json");
  }

  @Test
  void theQuerySideServesItsCommittedDescription() throws IOException {
    assertServes(config().queryUrl(), "docs/openapi/query-side.json");
  }

  private static void assertServes(String serviceUrl, String document) throws IOException {
    // No token: the description is open to anyone.
    Ledgerline.Response response =
        Ledgerline.send(
            HttpRequest.newBuilder(URI.create(serviceUrl + "/v3/api-docs"))
                .timeout(Duration.ofSeconds(30))
                .header("X-Test-Anonymous", "true")
                .GET()
                .build());
    assertThat(response.status()).as("GET %s/v3/api-docs", serviceUrl).isEqualTo(200);
    JsonNode served = JSON.readTree(response.body());
    List<String> paths = new ArrayList<>();
    served.get("paths").fieldNames().forEachRemaining(paths::add);
    // The API only: neither the container's /error nor the actuator.
    assertThat(paths).isNotEmpty().allMatch(path -> path.startsWith("/api/v1/"));
    Path file = repository().resolve(document);
    if (Boolean.getBoolean("openapi.update")) {
      Files.writeString(
          file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(served) + "\n");
    }
    assertThat(file).as("the committed description; write it with: %s", REGENERATE).exists();
    List<String> differences = new ArrayList<>();
    differences(JSON.readTree(file.toFile()), served, "", differences);
    assertThat(differences)
        .withFailMessage(
            "%s is not what %s serves; where they differ (committed | served):%n  %s%n"
                + "Write what it serves into the file, and review the change, with:%n  %s%n"
                + "(or, without the stack, the service's OpenApiDocumentTest with %s)",
            document,
            serviceUrl,
            String.join(System.lineSeparator() + "  ", differences),
            REGENERATE,
            UPDATE)
        .isEmpty();
  }

  /** Where two JSON trees differ, as JSON pointers with both values; at most ten. */
  static void differences(JsonNode committed, JsonNode served, String at, List<String> out) {
    if (out.size() >= 10 || Objects.equals(committed, served)) {
      return;
    }
    if (committed != null && served != null && committed.isObject() && served.isObject()) {
      List<String> names = new ArrayList<>();
      committed.fieldNames().forEachRemaining(names::add);
      for (Iterator<String> it = served.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!committed.has(name)) {
          names.add(name);
        }
      }
      for (String name : names) {
        String pointer = at + "/" + name.replace("~", "~0").replace("/", "~1");
        differences(committed.get(name), served.get(name), pointer, out);
      }
      return;
    }
    if (committed != null
        && served != null
        && committed.isArray()
        && served.isArray()
        && committed.size() == served.size()) {
      for (int i = 0; i < committed.size(); i++) {
        differences(committed.get(i), served.get(i), at + "/" + i, out);
      }
      return;
    }
    out.add((at.isEmpty() ? "/" : at) + ": " + committed + " | " + served);
  }

  private static Path repository() {
    return Path.of(System.getProperty("ledgerline.repo", "..")).toAbsolutePath().normalize();
  }
}
