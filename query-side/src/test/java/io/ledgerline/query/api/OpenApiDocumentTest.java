package io.ledgerline.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerline.platform.web.openapi.ApiDocsAutoConfiguration;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springdoc.core.configuration.SpringDocConfiguration;
import org.springdoc.core.configuration.SpringDocSecurityConfiguration;
import org.springdoc.core.configuration.SpringDocSpecPropertiesConfiguration;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springdoc.webmvc.core.configuration.SpringDocWebMvcConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Controller;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.ControllerAdvice;

/**
 * The committed OpenAPI description, {@code docs/openapi/query-side.json}, is the one the code
 * serves: clients are generated from it and Spectral lints it, so a change of the API that is not
 * in it fails here. Only the web layer runs (its collaborators are mocks: only the mappings
 * matter); infra's {@code OpenApiIT} compares the running service too. Regenerate with {@value
 * #REGENERATE}.
 */
@WebMvcTest(
    includeFilters =
        @ComponentScan.Filter(
            type = FilterType.REGEX,
            pattern = {
              "io\\.ledgerline\\.query\\.api\\.ApiDocumentation",
              "io\\.ledgerline\\.query\\.security\\.ApiAccessRules"
            }))
@AutoConfigureMockMvc(addFilters = false)
@ImportAutoConfiguration({
  SpringDocConfiguration.class,
  SpringDocConfigProperties.class,
  SpringDocSpecPropertiesConfiguration.class,
  SpringDocSecurityConfiguration.class,
  SpringDocWebMvcConfiguration.class,
  ApiDocsAutoConfiguration.class
})
@Import(OpenApiDocumentTest.MockedCollaborators.class)
class OpenApiDocumentTest {

  static final String DOCUMENT = "docs/openapi/query-side.json";

  static final String REGENERATE =
      "./mvnw -pl query-side -am test -Dtest=OpenApiDocumentTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dopenapi.update=true";

  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired MockMvc mvc;

  @Test
  void theCommittedDescriptionIsTheOneTheCodeServes() throws Exception {
    String served =
        mvc.perform(get("/v3/api-docs"))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
    JsonNode document = JSON.readTree(served);
    Path file = Path.of(System.getProperty("ledgerline.repo", "..")).resolve(DOCUMENT);
    if (Boolean.getBoolean("openapi.update")) {
      Files.writeString(
          file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document) + "\n");
    }
    assertThat(file).as("the committed description; create it with: %s", REGENERATE).exists();
    List<String> differences = new ArrayList<>();
    differences(JSON.readTree(file.toFile()), document, "", differences);
    assertThat(differences)
        .withFailMessage(
            "%s is not what the code serves; where they differ (committed | served):%n  %s%n"
                + "Regenerate it, and review the change, with: %s",
            DOCUMENT, String.join(System.lineSeparator() + "  ", differences), REGENERATE)
        .isEmpty();
  }

  /** Where two JSON trees differ, as JSON pointers with both values; at most ten. */
  private static void differences(JsonNode a, JsonNode b, String at, List<String> out) {
    if (out.size() >= 10 || Objects.equals(a, b)) {
      return;
    }
    if (a != null && b != null && a.isObject() && b.isObject()) {
      List<String> names = new ArrayList<>();
      a.fieldNames().forEachRemaining(names::add);
      for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!a.has(name)) {
          names.add(name);
        }
      }
      for (String name : names) {
        differences(
            a.get(name), b.get(name), at + "/" + name.replace("~", "~0").replace("/", "~1"), out);
      }
      return;
    }
    if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        differences(a.get(i), b.get(i), at + "/" + i, out);
      }
      return;
    }
    out.add((at.isEmpty() ? "/" : at) + ": " + a + " | " + b);
  }

  /**
   * Mocks what the slice's controllers and advice need and the slice lacks (stores, gateways,
   * meters): the description depends on their mappings only.
   */
  static final class MockedCollaborators implements BeanFactoryPostProcessor {

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beans) {
      for (String name : beans.getBeanDefinitionNames()) {
        Class<?> type = beans.getType(name, false);
        if (type == null
            || !(AnnotatedElementUtils.hasAnnotation(type, Controller.class)
                || AnnotatedElementUtils.hasAnnotation(type, ControllerAdvice.class))) {
          continue;
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
          for (Class<?> needed : constructor.getParameterTypes()) {
            if (!needed.getName().startsWith("java.")
                && needed != ObjectProvider.class
                && beans.getBeanNamesForType(needed, true, false).length == 0) {
              beans.registerSingleton(needed.getName(), Mockito.mock(needed));
            }
          }
        }
      }
    }
  }
}
