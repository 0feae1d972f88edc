package io.ledgerline.platform.web.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;

/**
 * Gives every operation its problem responses: those every operation shares, those of a request
 * body, and the kinds its {@link ApiProblems} names. Each status lists its problem types with the
 * {@code Problem} schema and an example of each; a status of one kind refers to a shared response,
 * and every example is a shared one, added to the components once the operations are done.
 */
final class ProblemResponses implements OperationCustomizer, OpenApiCustomizer {

  static final String PROBLEM_JSON =
      org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

  private static final String RESPONSES = "#/components/responses/";
  private static final String EXAMPLES = "#/components/examples/";

  // What any caller can meet: no token, a role that may not act, a rate limit, an outage.
  private static final List<String> EVERY_OPERATION =
      List.of("unauthorized", "forbidden", "rate-limited", "unavailable");

  // What any request body can meet before a handler sees it.
  private static final List<String> REQUEST_BODY =
      List.of("malformed-json", "unknown-field", "payload-too-large", "unsupported-media-type");

  private final ObjectProvider<ProblemCatalog> catalogs;

  ProblemResponses(ObjectProvider<ProblemCatalog> catalogs) {
    this.catalogs = catalogs;
  }

  @Override
  public Operation customize(Operation operation, HandlerMethod handlerMethod) {
    Map<String, ProblemType> known = known();
    Set<String> kinds = new LinkedHashSet<>(EVERY_OPERATION);
    if (operation.getRequestBody() != null) {
      kinds.addAll(REQUEST_BODY);
    }
    ApiProblems declared =
        AnnotatedElementUtils.findMergedAnnotation(handlerMethod.getMethod(), ApiProblems.class);
    if (declared != null) {
      kinds.addAll(List.of(declared.value()));
    }
    Map<Integer, List<ProblemType>> byStatus = new TreeMap<>();
    for (String kind : kinds) {
      ProblemType type = known.get(kind);
      if (type == null) {
        throw new IllegalStateException(
            handlerMethod
                + " names the problem kind '"
                + kind
                + "', which no ProblemCatalog bean declares");
      }
      byStatus.computeIfAbsent(type.status().value(), status -> new ArrayList<>()).add(type);
    }
    ApiResponses responses =
        operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
    byStatus.forEach(
        (status, types) ->
            responses.addApiResponse(
                status.toString(),
                types.size() == 1
                    ? new ApiResponse().$ref(RESPONSES + responseName(types.get(0)))
                    : response(types)));
    operation.setResponses(responses);
    return operation;
  }

  /** Adds the shared responses and examples the operations refer to, and only those. */
  @Override
  public void customise(OpenAPI api) {
    if (api.getPaths() == null) {
      return;
    }
    Map<String, ProblemType> known = known();
    Set<String> responses = new TreeSet<>();
    Set<String> examples = new TreeSet<>();
    api.getPaths().values().stream()
        .flatMap(item -> item.readOperations().stream())
        .filter(operation -> operation.getResponses() != null)
        .flatMap(operation -> operation.getResponses().values().stream())
        .forEach(
            response -> {
              if (response.get$ref() != null && response.get$ref().startsWith(RESPONSES)) {
                responses.add(response.get$ref().substring(RESPONSES.length()));
              } else if (response.getContent() != null
                  && response.getContent().get(PROBLEM_JSON) != null
                  && response.getContent().get(PROBLEM_JSON).getExamples() != null) {
                examples.addAll(response.getContent().get(PROBLEM_JSON).getExamples().keySet());
              }
            });
    Components components = api.getComponents() == null ? new Components() : api.getComponents();
    api.components(components);
    for (ProblemType type : known.values()) {
      String name = responseName(type);
      if (responses.contains(name)) {
        components.addResponses(name, response(List.of(type)));
        examples.add(type.kind());
      }
    }
    for (String kind : examples) {
      ProblemType type = known.get(kind);
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("type", type.type());
      value.put("title", type.title());
      value.put("status", type.status().value());
      value.put("detail", type.detail());
      components.addExamples(kind, new Example().summary(type.title()).value(value));
    }
  }

  private Map<String, ProblemType> known() {
    Map<String, ProblemType> known = new LinkedHashMap<>();
    catalogs
        .orderedStream()
        .flatMap(catalog -> catalog.types().stream())
        .forEach(type -> known.putIfAbsent(type.kind(), type));
    return known;
  }

  /** {@code not-found} answers with the response {@code NotFound}. */
  private static String responseName(ProblemType type) {
    StringBuilder name = new StringBuilder();
    for (String word : type.kind().split("-")) {
      name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
    }
    return name.toString();
  }

  private static ApiResponse response(List<ProblemType> types) {
    HttpStatus status = types.get(0).status();
    StringBuilder description =
        new StringBuilder(status.getReasonPhrase())
            .append(
                types.size() == 1 ? ": a problem of the type" : ": a problem of one of the types");
    Map<String, Example> examples = new LinkedHashMap<>();
    for (ProblemType type : types) {
      description.append("\n- `").append(type.type()).append("`: ").append(type.title());
      examples.put(type.kind(), new Example().$ref(EXAMPLES + type.kind()));
    }
    ApiResponse response =
        new ApiResponse()
            .description(description.toString())
            .content(
                new Content()
                    .addMediaType(
                        PROBLEM_JSON,
                        new MediaType()
                            .schema(new Schema<>().$ref(ApiConventions.PROBLEM_SCHEMA_REF))
                            .examples(examples)));
    if (status == HttpStatus.TOO_MANY_REQUESTS || status == HttpStatus.SERVICE_UNAVAILABLE) {
      response.addHeaderObject(
          "Retry-After", new Header().$ref(ApiConventions.RETRY_AFTER_HEADER_REF));
    }
    if (status == HttpStatus.UNAUTHORIZED) {
      response.addHeaderObject(
          "WWW-Authenticate",
          new Header()
              .description("The authentication scheme to use")
              .schema(new StringSchema().example("Bearer")));
    }
    return response;
  }
}
