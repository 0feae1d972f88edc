package io.ledgerline.platform.web.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerline.platform.web.security.Caller;
import io.ledgerline.platform.web.security.RoleRules;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.HttpStatus;
import org.springframework.web.method.HandlerMethod;

/** What every operation of both services' API descriptions gets without a word of its own. */
class ApiDocsAutoConfigurationTest {

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ApiDocsAutoConfiguration.class))
          .withBean(
              RoleRules.class,
              () -> RoleRules.builder().any("/api/v1/things/**").roles(Caller.OPERATOR).build())
          .withBean(
              "thingProblemTypes",
              ProblemCatalog.class,
              () ->
                  ProblemCatalog.of(
                      ProblemType.of(
                          HttpStatus.CONFLICT, "thing-busy", "Thing busy", "the thing is busy")));

  /** A handler whose own problems the description lists. */
  static class Things {
    @ApiProblems({"not-found", "thing-busy"})
    void change() {}

    @ApiProblems("no-such-kind")
    void mistaken() {}
  }

  @Test
  void everyOperationNeedsABearerTokenWithTheRolesOfTheServicesRules() {
    runner.run(
        context -> {
          OpenAPI api = describe(context.getBean("apiConventions", OpenApiCustomizer.class));
          SecurityScheme bearer = api.getComponents().getSecuritySchemes().get("bearerAuth");
          assertThat(bearer.getType()).isEqualTo(SecurityScheme.Type.HTTP);
          assertThat(bearer.getScheme()).isEqualTo("bearer");
          assertThat(bearer.getBearerFormat()).isEqualTo("JWT");
          assertThat(api.getSecurity()).singleElement().satisfies(r -> r.containsKey("bearerAuth"));
          assertThat(api.getPaths().get("/api/v1/things/{id}").getPost().getDescription())
              .isEqualTo(
                  "Changes a thing.\n\n**Authorization:** a bearer token with the role"
                      + " `operator`.");
          assertThat(api.getComponents().getSchemas()).containsKey("Problem");
          assertThat(api.getInfo().getLicense().getName()).isEqualTo("Proprietary");
          assertThat(api.getInfo().getContact().getName()).isEqualTo("Ledgerline maintainers");
        });
  }

  @Test
  void anOperationListsItsProblemsUnderTheirStatusWithAnExampleOfEach() {
    runner.run(
        context -> {
          ProblemResponses problems = context.getBean(ProblemResponses.class);
          Operation operation =
              problems.customize(
                  new Operation()
                      .requestBody(new RequestBody())
                      .responses(new ApiResponses().addApiResponse("200", new ApiResponse())),
                  new HandlerMethod(new Things(), Things.class.getDeclaredMethod("change")));

          Map<String, ApiResponse> responses = operation.getResponses();
          assertThat(responses)
              .containsOnlyKeys(
                  "200", "400", "401", "403", "404", "409", "413", "415", "429", "503");
          assertThat(
                  responses.get("400").getContent().get("application/problem+json").getExamples())
              .containsOnlyKeys("malformed-json", "unknown-field");
          assertThat(responses.get("409").get$ref()).isEqualTo("#/components/responses/ThingBusy");
          assertThat(responses.get("404").get$ref()).isEqualTo("#/components/responses/NotFound");

          OpenAPI api =
              new OpenAPI()
                  .paths(
                      new Paths()
                          .addPathItem("/api/v1/things/{id}", new PathItem().post(operation)));
          problems.customise(api);
          ApiResponse busy = api.getComponents().getResponses().get("ThingBusy");
          assertThat(busy.getDescription())
              .isEqualTo(
                  "Conflict: a problem of the type\n- `urn:ledgerline:problem:thing-busy`: Thing busy");
          assertThat(api.getComponents().getExamples().get("thing-busy").getValue())
              .isEqualTo(
                  Map.of(
                      "type", "urn:ledgerline:problem:thing-busy",
                      "title", "Thing busy",
                      "status", 409,
                      "detail", "the thing is busy"));
          // Only what the operations refer to: no status the description does not use.
          assertThat(api.getComponents().getResponses()).doesNotContainKey("Validation");
          assertThat(api.getComponents().getExamples()).doesNotContainKey("validation");
        });
  }

  @Test
  void aKindNoCatalogDeclaresFailsTheDescription() {
    runner.run(
        context ->
            assertThatThrownBy(
                    () ->
                        context
                            .getBean(ProblemResponses.class)
                            .customize(
                                new Operation(),
                                new HandlerMethod(
                                    new Things(), Things.class.getDeclaredMethod("mistaken"))))
                .hasMessageContaining("'no-such-kind'"));
  }

  @Test
  void backsOffWithoutSpringdoc() {
    runner
        .withClassLoader(
            new FilteredClassLoader(OpenApiCustomizer.class, OperationCustomizer.class))
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(ProblemResponses.class);
              assertThat(context).doesNotHaveBean("apiConventions");
            });
  }

  private static OpenAPI describe(OpenApiCustomizer customizer) {
    OpenAPI api =
        new OpenAPI()
            .paths(
                new Paths()
                    .addPathItem(
                        "/api/v1/things/{id}",
                        new PathItem().post(new Operation().description("Changes a thing."))));
    customizer.customise(api);
    return api;
  }
}
