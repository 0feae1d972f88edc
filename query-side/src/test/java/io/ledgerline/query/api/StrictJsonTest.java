package io.ledgerline.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.mock.http.MockHttpInputMessage;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * Request bodies are strict JSON: the mapper the web layer gets (built as Spring Boot builds it,
 * with this package's customizers) refuses every lenient reading, and the refusal is a 400 problem.
 */
class StrictJsonTest {

  /** The shape of the audit verify body. */
  record Verify(String aggregateId) {}

  /** An integer field, as any later body with one would have. */
  record Counted(Long amount) {}

  private static final ObjectMapper MAPPER = strictMapper();

  private static ObjectMapper strictMapper() {
    Jackson2ObjectMapperBuilder builder = Jackson2ObjectMapperBuilder.json();
    JsonLimitsConfiguration configuration = new JsonLimitsConfiguration();
    configuration.jsonLimits().customize(builder);
    configuration.strictJson().customize(builder);
    return builder.build();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"amount\":\"10\"}",
        "{\"amount\":\"\"}",
        "{\"amount\":1,\"amount\":2}",
        "{\"amount\":1}{\"amount\":1}",
        "{\"amount\":1} x",
        "{\"amount\":true}",
        "{\"amount\":1.5}",
        "{\"amount\":1.0}",
        "{\"amount\":1,\"admin\":true}"
      })
  void aHostileBodyIsRefused(String body) {
    assertThrows(IOException.class, () -> MAPPER.readValue(body, Counted.class));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"aggregateId\":1}",
        "{\"aggregateId\":1.5}",
        "{\"aggregateId\":true}",
        "{\"aggregateId\":\"a\",\"aggregateId\":\"b\"}",
        "{\"aggregateId\":\"a\"}{\"aggregateId\":\"a\"}",
        "{\"aggregateId\":\"a\"} x",
        "{\"aggregateId\":\"a\",\"all\":true}"
      })
  void aHostileBodyIsRefusedForTextFieldsToo(String body) {
    assertThrows(IOException.class, () -> MAPPER.readValue(body, Verify.class));
  }

  @Test
  void aCorrectBodyIsAccepted() throws IOException {
    assertThat(MAPPER.readValue("{\"amount\":10}", Counted.class)).isEqualTo(new Counted(10L));
    assertThat(MAPPER.readValue(" {\"aggregateId\":\"acc-1\"}\n", Verify.class))
        .isEqualTo(new Verify("acc-1"));
    assertThat(MAPPER.readValue("{}", Verify.class)).isEqualTo(new Verify(null));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"aggregateId\":1}",
        "{\"aggregateId\":\"a\",\"aggregateId\":\"b\"}",
        "{\"aggregateId\":\"a\"}{\"aggregateId\":\"a\"}",
        "{\"aggregateId\":\"a\"} x",
        "{\"aggregateId\":true}",
        "{\"aggregateId\":"
      })
  void aHostileBodyIsAMalformedJsonProblem(String body) {
    ResponseEntity<Object> response = handle(unreadable(body));

    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    ProblemDetail problem = (ProblemDetail) response.getBody();
    assertThat(problem.getType().toString()).isEqualTo("urn:ledgerline:problem:malformed-json");
    assertThat(problem.getDetail()).doesNotContain("Exception");
  }

  @Test
  void aValueOfTheWrongTypeNamesItsField() {
    ProblemDetail problem = (ProblemDetail) handle(unreadable("{\"aggregateId\":7}")).getBody();

    assertThat(problem.getProperties()).containsEntry("field", "aggregateId");
  }

  @Test
  void anUnknownFieldIsAnUnknownFieldProblem() {
    ResponseEntity<Object> response = handle(unreadable("{\"aggregateId\":\"a\",\"all\":true}"));

    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(((ProblemDetail) response.getBody()).getType().toString())
        .isEqualTo("urn:ledgerline:problem:unknown-field");
  }

  /** What Spring MVC raises for the body, reading it as it does for {@code @RequestBody}. */
  private static HttpMessageNotReadableException unreadable(String body) {
    MockHttpInputMessage input = new MockHttpInputMessage(body.getBytes(StandardCharsets.UTF_8));
    input.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    return assertThrows(
        HttpMessageNotReadableException.class,
        () -> new MappingJackson2HttpMessageConverter(MAPPER).read(Verify.class, input));
  }

  private static ResponseEntity<Object> handle(HttpMessageNotReadableException e) {
    return new ApiExceptionHandler()
        .handleHttpMessageNotReadable(
            e,
            new HttpHeaders(),
            HttpStatus.BAD_REQUEST,
            new ServletWebRequest(new MockHttpServletRequest()));
  }
}
