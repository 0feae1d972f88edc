package io.ledgerline.platform.web.openapi;

import io.ledgerline.platform.web.security.ApiAuthorizationRules;
import io.ledgerline.platform.web.security.RoleRules;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MapSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpMethod;

/**
 * What both services' API descriptions share: the bearer token every operation needs, and for each
 * operation the roles the service's {@link RoleRules} ask for; the {@code Problem} schema and the
 * {@code Retry-After} and {@code Location} headers; contact and license; tags in name order.
 */
final class ApiConventions implements OpenApiCustomizer {

  static final String BEARER_AUTH = "bearerAuth";
  static final String PROBLEM_SCHEMA = "Problem";
  static final String PROBLEM_SCHEMA_REF = "#/components/schemas/" + PROBLEM_SCHEMA;
  static final String RETRY_AFTER_HEADER_REF = "#/components/headers/RetryAfter";
  static final String LOCATION_HEADER_REF = "#/components/headers/Location";

  private final ApiDocsProperties properties;
  private final ObjectProvider<ApiAuthorizationRules> authorizationRules;

  ApiConventions(
      ApiDocsProperties properties, ObjectProvider<ApiAuthorizationRules> authorizationRules) {
    this.properties = properties;
    this.authorizationRules = authorizationRules;
  }

  @Override
  public void customise(OpenAPI api) {
    Components components = api.getComponents() == null ? new Components() : api.getComponents();
    api.components(components);
    components
        .addSecuritySchemes(
            BEARER_AUTH,
            new SecurityScheme()
                .type(SecurityScheme.Type.HTTP)
                .scheme("bearer")
                .bearerFormat("JWT")
                .description(
                    "A JWT signed with RS256 (or ES256 through a JWKS) by the configured issuer,"
                        + " for the configured audience, unexpired; its `roles` claim lists the"
                        + " caller's roles (`customer`, `operator`, `auditor`, `admin`) and its"
                        + " `sub` is the caller. Locally: `infra/bin/ledgerline token --role R"
                        + " --sub S`."))
        .addSchemas(PROBLEM_SCHEMA, problemSchema())
        .addHeaders(
            "RetryAfter",
            new Header()
                .description("Seconds to wait before retrying the same request")
                .schema(new IntegerSchema().minimum(java.math.BigDecimal.ZERO).example(1)))
        .addHeaders(
            "Location",
            new Header()
                .description("Where the created or accepted resource can be read")
                .schema(new StringSchema().format("uri-reference")));
    api.security(List.of(new SecurityRequirement().addList(BEARER_AUTH)));
    Info info = api.getInfo() == null ? new Info() : api.getInfo();
    api.info(info);
    if (info.getContact() == null) {
      info.contact(new Contact().name(properties.contactName()).email(properties.contactEmail()));
    }
    if (info.getLicense() == null) {
      // OpenAPI 3.1: a URL or an SPDX identifier, not both.
      License license = new License().name(properties.licenseName());
      info.license(
          properties.licenseUrl() == null || properties.licenseUrl().isBlank()
              ? license.identifier(properties.licenseIdentifier())
              : license.url(properties.licenseUrl()));
    }
    if (api.getTags() != null) {
      api.getTags().sort(Comparator.comparing(Tag::getName));
    }
    if (api.getPaths() != null) {
      api.getPaths().forEach(this::describe);
    }
  }

  private void describe(String path, PathItem item) {
    for (Map.Entry<PathItem.HttpMethod, Operation> entry : item.readOperationsMap().entrySet()) {
      Operation operation = entry.getValue();
      String roles = rolesSentence(HttpMethod.valueOf(entry.getKey().name()), path);
      String description = operation.getDescription();
      operation.setDescription(
          description == null || description.isBlank() ? roles : description + "\n\n" + roles);
      if (operation.getResponses() != null) {
        operation
            .getResponses()
            .forEach(
                (status, response) -> {
                  if (status.equals("201") || status.equals("202")) {
                    response.addHeaderObject("Location", new Header().$ref(LOCATION_HEADER_REF));
                  }
                });
      }
    }
  }

  private String rolesSentence(HttpMethod method, String path) {
    Optional<List<String>> roles =
        authorizationRules
            .orderedStream()
            .filter(RoleRules.class::isInstance)
            .map(rules -> ((RoleRules) rules).rolesFor(method, path))
            .flatMap(Optional::stream)
            .findFirst();
    if (roles.isEmpty()) {
      return "**Authorization:** a bearer token of any role.";
    }
    String names = roles.get().stream().map(r -> "`" + r + "`").collect(Collectors.joining(", "));
    return roles.get().size() == 1
        ? "**Authorization:** a bearer token with the role " + names + "."
        : "**Authorization:** a bearer token with one of the roles " + names + ".";
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static ObjectSchema problemSchema() {
    ObjectSchema problem = new ObjectSchema();
    problem
        .description(
            "An RFC 9457 problem. `type` names the kind of error and is stable; `title` and"
                + " `detail` are for people. Some kinds add members of their own.")
        .addProperty(
            "type",
            new StringSchema()
                .format("uri")
                .description("The kind of error: `urn:ledgerline:problem:<kind>`")
                .example("urn:ledgerline:problem:insufficient-funds"))
        .addProperty(
            "title",
            new StringSchema()
                .description("A short summary of the kind of error")
                .example("Insufficient funds"))
        .addProperty("status", new IntegerSchema().description("The HTTP status").example(422))
        .addProperty(
            "detail",
            new StringSchema()
                .description("What went wrong in this case")
                .example("balance 1000 does not cover 2500"))
        .addProperty(
            "instance",
            new StringSchema()
                .format("uri-reference")
                .description("The request path, when the error arose in a handler")
                .example("/api/v1/accounts/0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f/withdrawals"))
        .addProperty(
            "errors",
            new MapSchema()
                .additionalProperties(new StringSchema())
                .description("`validation` of a body: the message per invalid field")
                .example(Map.of("amount", "must be greater than 0")))
        .addProperty(
            "parameter",
            new StringSchema()
                .description("`validation` of a parameter: the parameter at fault")
                .example("size"))
        .addProperty(
            "field",
            new StringSchema()
                .description("`malformed-json`: the field whose value has the wrong type")
                .example("amount"))
        .addProperty(
            "currentVersion",
            new IntegerSchema()
                .format("int64")
                .description("`version-conflict` and `projection-behind`: the version there is now")
                .example(3))
        .addProperty(
            "requestedVersion",
            new IntegerSchema()
                .format("int64")
                .description("`projection-behind`: the version asked for")
                .example(4));
    problem.required(List.of("type", "title", "status"));
    return problem;
  }
}
