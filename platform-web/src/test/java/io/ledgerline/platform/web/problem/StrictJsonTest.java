package io.ledgerline.platform.web.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerline.platform.web.json.JsonProperties;
import io.ledgerline.platform.web.json.StrictJsonAutoConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
 * with the strict JSON customizers) refuses every lenient reading, and the refusal is a 400
 * problem.
 */
class StrictJsonTest {

  /** The shape of a deposit or withdrawal body. */
  record Movement(Long amount, String reference) {}

  /** An integer field of a primitive type. */
  record Primitive(long amount) {}

  /** The shape of the audit verify body: a text field. */
  record Verify(String aggregateId) {}

  private static final ObjectMapper MAPPER = strictMapper();

  private static ObjectMapper strictMapper() {
    Jackson2ObjectMapperBuilder builder = Jackson2ObjectMapperBuilder.json();
    StrictJsonAutoConfiguration configuration = new StrictJsonAutoConfiguration();
    configuration.jsonLimits(new JsonProperties(16, 16_384, 32)).customize(builder);
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
        "{\"amount\":1} 2",
        "{\"amount\":true}",
        "{\"amount\":1.5}",
        "{\"amount\":1.0}",
        "{\"amount\":1e2}",
        "{\"amount\":1,\"admin\":true}",
        "{\"amount\":1,\"reference\":5}",
        "{\"amount\":1,\"reference\":false}"
      })
  void aHostileBodyIsRefused(String body) {
    assertThrows(IOException.class, () -> MAPPER.readValue(body, Movement.class));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"amount\":\"10\"}",
        "{\"amount\":true}",
        "{\"amount\":1.5}",
        "{\"amount\":1.0}",
        "{\"amount\":1,\"amount\":2}",
        "{\"amount\":1} x"
      })
  void aHostileBodyIsRefusedForAPrimitiveFieldToo(String body) {
    assertThrows(IOException.class, () -> MAPPER.readValue(body, Primitive.class));
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
    assertThat(MAPPER.readValue("{\"amount\":10,\"reference\":\"r-1\"}", Movement.class))
        .isEqualTo(new Movement(10L, "r-1"));
    assertThat(MAPPER.readValue(" {\"amount\":10}\n", Movement.class))
        .isEqualTo(new Movement(10L, null));
    assertThat(MAPPER.readValue("{\"amount\":7}", Primitive.class)).isEqualTo(new Primitive(7));
    assertThat(MAPPER.readValue(" {\"aggregateId\":\"acc-1\"}\n", Verify.class))
        .isEqualTo(new Verify("acc-1"));
    assertThat(MAPPER.readValue("{}", Verify.class)).isEqualTo(new Verify(null));
  }

  @Test
  void bodiesBeyondTheParserLimitsAreRefused() {
    assertThrows(
        IOException.class,
        () ->
            MAPPER.readValue(
                "{\"amount\":1,\"reference\":" + "[".repeat(20) + "]".repeat(20) + "}",
                Movement.class));
    assertThrows(
        IOException.class,
        () ->
            MAPPER.readValue(
                "{\"amount\":1,\"reference\":\"" + "x".repeat(20_000) + "\"}", Movement.class));
    assertThrows(
        IOException.class,
        () -> MAPPER.readValue("{\"amount\":" + "9".repeat(40) + "}", Movement.class));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"amount\":\"10\"}",
        "{\"amount\":1,\"amount\":2}",
        "{\"amount\":1}{\"amount\":1}",
        "{\"amount\":1} x",
        "{\"amount\":true}",
        "{\"amount\":1.5}",
        "{\"amount\":1.0}",
        "{\"amount\":"
      })
  void aHostileBodyIsAMalformedJsonProblem(String body) {
    ResponseEntity<Object> response = handle(unreadable(body, Movement.class));

    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    ProblemDetail problem = (ProblemDetail) response.getBody();
    assertThat(problem.getType().toString()).isEqualTo("urn:ledgerline:problem:malformed-json");
    assertThat(problem.getDetail()).doesNotContain("Exception");
  }

  @Test
  void aValueOfTheWrongTypeNamesItsField() {
    ProblemDetail amount =
        (ProblemDetail) handle(unreadable("{\"amount\":\"10\"}", Movement.class)).getBody();
    ProblemDetail aggregateId =
        (ProblemDetail) handle(unreadable("{\"aggregateId\":7}", Verify.class)).getBody();

    assertThat(amount.getProperties()).containsEntry("field", "amount");
    assertThat(aggregateId.getProperties()).containsEntry("field", "aggregateId");
  }

  @Test
  void anUnknownFieldIsAnUnknownFieldProblem() {
    ResponseEntity<Object> response =
        handle(unreadable("{\"amount\":1,\"admin\":true}", Movement.class));

    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(((ProblemDetail) response.getBody()).getType().toString())
        .isEqualTo("urn:ledgerline:problem:unknown-field");
  }

  /** What Spring MVC raises for the body, reading it as it does for {@code @RequestBody}. */
  private static HttpMessageNotReadableException unreadable(String body, Class<?> type) {
    MockHttpInputMessage input = new MockHttpInputMessage(body.getBytes(StandardCharsets.UTF_8));
    input.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    return assertThrows(
        HttpMessageNotReadableException.class,
        () -> new MappingJackson2HttpMessageConverter(MAPPER).read(type, input));
  }

  private static ResponseEntity<Object> handle(HttpMessageNotReadableException e) {
    return new ProblemExceptionHandler(new DependencyOutage(List.of()), "outage", "internal")
        .handleHttpMessageNotReadable(
            e,
            new HttpHeaders(),
            HttpStatus.BAD_REQUEST,
            new ServletWebRequest(new MockHttpServletRequest()));
  }
}
