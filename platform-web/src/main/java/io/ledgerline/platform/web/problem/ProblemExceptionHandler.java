package io.ledgerline.platform.web.problem;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.ledgerline.platform.web.security.ForbiddenException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure into an RFC 9457 problem with a stable type. Nothing a client sends may
 * produce a stack trace in a response; a dependency outage is a 503 with {@code Retry-After}, and
 * any other unexpected failure is logged and answered with a bare 500 problem.
 *
 * <p>A service extends it with handlers for its own exceptions (annotated
 * {@code @RestControllerAdvice} and {@code @Order(ProblemExceptionHandler.ORDER)}); without one,
 * the auto-configuration registers this class as it is.
 */
@Order(ProblemExceptionHandler.ORDER)
@RestControllerAdvice
public class ProblemExceptionHandler extends ResponseEntityExceptionHandler {

  /** Ahead of any framework default, behind the feature-specific advice. */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

  private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

  private final DependencyOutage outage;
  private final String outageDetail;
  private final String internalDetail;

  /**
   * @param outage tells a dependency outage from any other failure
   * @param outageDetail the detail of the 503 problem of an outage: what the client should do
   * @param internalDetail the detail of the 500 problem of any other unexpected failure
   */
  public ProblemExceptionHandler(
      DependencyOutage outage, String outageDetail, String internalDetail) {
    this.outage = outage;
    this.outageDetail = outageDetail;
    this.internalDetail = internalDetail;
  }

  @ExceptionHandler(ForbiddenException.class)
  public ProblemDetail forbidden(ForbiddenException e) {
    return Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage());
  }

  @ExceptionHandler(InvalidRequestException.class)
  public ProblemDetail invalidRequest(InvalidRequestException e) {
    return Problems.of(HttpStatus.BAD_REQUEST, "validation", "Invalid request", e.getMessage());
  }

  @ExceptionHandler(InvalidParameterException.class)
  public ProblemDetail invalidParameter(InvalidParameterException e) {
    ProblemDetail problem =
        Problems.of(HttpStatus.BAD_REQUEST, "validation", "Invalid parameter", e.getMessage());
    problem.setProperty("parameter", e.parameter());
    return problem;
  }

  @ExceptionHandler(Exception.class)
  public ResponseEntity<ProblemDetail> unexpected(Exception e) {
    if (outage.isOutage(e)) {
      log.warn("A dependency is unavailable: {}", e.toString());
      return unavailable(
          Problems.of(
              HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable", outageDetail));
    }
    log.error("Unexpected failure while handling a request", e);
    return ResponseEntity.internalServerError()
        .body(
            Problems.of(
                HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error", internalDetail));
  }

  /** A 503 with {@code Retry-After}: clients and load balancers retry rather than give up. */
  protected static ResponseEntity<ProblemDetail> unavailable(ProblemDetail problem) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .body(problem);
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    Map<String, String> errors = new LinkedHashMap<>();
    ex.getBindingResult()
        .getFieldErrors()
        .forEach(error -> errors.putIfAbsent(error.getField(), error.getDefaultMessage()));
    ProblemDetail problem =
        Problems.of(
            HttpStatus.BAD_REQUEST, "validation", "Invalid request", "the request body is invalid");
    problem.setProperty("errors", errors);
    return ResponseEntity.badRequest().body(problem);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    ProblemDetail problem;
    if (ex.getCause() instanceof UnrecognizedPropertyException unknown) {
      problem =
          Problems.of(
              HttpStatus.BAD_REQUEST,
              "unknown-field",
              "Unknown field",
              "the field '" + unknown.getPropertyName() + "' is not part of this request");
    } else if (causedBy(ex, PayloadTooLargeException.class)) {
      return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
          .body(
              Problems.of(
                  HttpStatus.PAYLOAD_TOO_LARGE,
                  "payload-too-large",
                  "Payload too large",
                  "the request body exceeds the limit"));
    } else {
      problem =
          Problems.of(
              HttpStatus.BAD_REQUEST,
              "malformed-json",
              "Malformed JSON",
              "the request body is not valid JSON of the expected shape");
      // A value of the wrong type (strict JSON: no coercion): name the field when Jackson knows it.
      if (ex.getCause() instanceof MismatchedInputException mismatch
          && !mismatch.getPath().isEmpty()) {
        problem.setProperty("field", path(mismatch));
      }
    }
    return ResponseEntity.badRequest().body(problem);
  }

  /** Gives Spring MVC's own errors (415, 405, 406, 404 ...) a stable type as well. */
  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex,
      @Nullable Object body,
      HttpHeaders headers,
      HttpStatusCode statusCode,
      WebRequest request) {
    if (body == null && ex instanceof ErrorResponse errorResponse) {
      body = errorResponse.getBody();
    }
    if (body instanceof ProblemDetail problem
        && (problem.getType() == null || "about:blank".equals(problem.getType().toString()))) {
      problem.setType(Problems.type(kindOf(statusCode.value())));
    }
    return super.handleExceptionInternal(ex, body, headers, statusCode, request);
  }

  /** The kind of one of Spring MVC's own errors, which carry only a status. */
  protected String kindOf(int status) {
    return Problems.kindOf(status);
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
      } else {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }
}
