package io.ledgerline.platform.web.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.platform.web.security.ForbiddenException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.context.request.ServletWebRequest;

class ProblemExceptionHandlerTest {

  private final ProblemExceptionHandler testSubject =
      new ProblemExceptionHandler(
          new DependencyOutage(List.of()), "retry later", "the request could not be completed");

  @Test
  void aDependencyOutageIsA503WithRetryAfter() {
    ResponseEntity<ProblemDetail> response =
        testSubject.unexpected(new RuntimeException(new DataAccessResourceFailureException("x")));

    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("1");
    assertThat(response.getBody().getType().toString())
        .isEqualTo("urn:ledgerline:problem:unavailable");
    assertThat(response.getBody().getDetail()).isEqualTo("retry later");
  }

  @Test
  void anyOtherFailureIsABare500() {
    ResponseEntity<ProblemDetail> response =
        testSubject.unexpected(new IllegalStateException("secret internals"));

    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    assertThat(response.getBody().getType().toString())
        .isEqualTo("urn:ledgerline:problem:internal");
    assertThat(response.getBody().getDetail()).isEqualTo("the request could not be completed");
  }

  @Test
  void refusalsAndInvalidInputKeepTheirTypes() {
    ProblemDetail forbidden = testSubject.forbidden(new ForbiddenException("not yours"));
    ProblemDetail invalidRequest =
        testSubject.invalidRequest(new InvalidRequestException("bad If-Match"));
    ProblemDetail invalidParameter =
        testSubject.invalidParameter(new InvalidParameterException("size", "must be positive"));

    assertThat(forbidden.getStatus()).isEqualTo(403);
    assertThat(forbidden.getType().toString()).isEqualTo("urn:ledgerline:problem:forbidden");
    assertThat(invalidRequest.getStatus()).isEqualTo(400);
    assertThat(invalidRequest.getType().toString()).isEqualTo("urn:ledgerline:problem:validation");
    assertThat(invalidParameter.getTitle()).isEqualTo("Invalid parameter");
    assertThat(invalidParameter.getDetail()).isEqualTo("size must be positive");
    assertThat(invalidParameter.getProperties()).containsEntry("parameter", "size");
  }

  @Test
  void springMvcsOwnErrorsGetStableTypes() throws Exception {
    assertThat(typeOf(testSubject, new HttpRequestMethodNotSupportedException("DELETE")))
        .isEqualTo("urn:ledgerline:problem:method-not-allowed");
    assertThat(
            typeOf(
                testSubject,
                new HttpMediaTypeNotSupportedException(
                    MediaType.TEXT_PLAIN, List.of(MediaType.APPLICATION_JSON))))
        .isEqualTo("urn:ledgerline:problem:unsupported-media-type");
    assertThat(typeOf(testSubject, new MissingServletRequestParameterException("size", "int")))
        .isEqualTo("urn:ledgerline:problem:bad-request");
  }

  @Test
  void aServiceMayNameThoseTypesItsOwnWay() throws Exception {
    ProblemExceptionHandler parametersAreValidation =
        new ProblemExceptionHandler(new DependencyOutage(List.of()), "outage", "internal") {
          @Override
          protected String kindOf(int status) {
            return status == 400 ? "validation" : super.kindOf(status);
          }
        };

    assertThat(
            typeOf(
                parametersAreValidation,
                new MissingServletRequestParameterException("size", "int")))
        .isEqualTo("urn:ledgerline:problem:validation");
  }

  @Test
  void bareStatusesHaveKinds() {
    for (int status : Set.of(400, 404, 405, 406, 413, 414, 415, 431)) {
      assertThat(Problems.kindOf(status)).as("" + status).doesNotStartWith("http-");
    }
    assertThat(Problems.kindOf(418)).isEqualTo("http-418");
  }

  private static String typeOf(ProblemExceptionHandler handler, Exception e) throws Exception {
    ResponseEntity<Object> response =
        handler.handleException(e, new ServletWebRequest(new MockHttpServletRequest()));
    return ((ProblemDetail) response.getBody()).getType().toString();
  }
}
