package io.ledgerline.command.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.ledgerline.command.idempotency.ContendedException;
import io.ledgerline.command.idempotency.IdempotencyConflictException;
import io.ledgerline.command.security.ForbiddenException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
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
 * produce a stack trace in a response; an unexpected failure is logged and answered with a bare 500
 * problem.
 */
// Ahead of any framework default, behind the feature-specific advice.
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(AggregateNotFoundException.class)
  ProblemDetail notFound(AggregateNotFoundException e) {
    return Problems.of(
        HttpStatus.NOT_FOUND,
        "not-found",
        "Not found",
        "no such account: " + e.getAggregateIdentifier());
  }

  @ExceptionHandler(ConflictingAggregateVersionException.class)
  ProblemDetail staleVersion(ConflictingAggregateVersionException e) {
    ProblemDetail problem =
        Problems.of(
            HttpStatus.PRECONDITION_FAILED,
            "version-conflict",
            "Version conflict",
            "If-Match names version "
                + e.getExpectedVersion()
                + " but the account is at version "
                + e.getActualVersion());
    problem.setProperty("currentVersion", e.getActualVersion());
    return problem;
  }

  @ExceptionHandler(ConcurrencyException.class)
  ProblemDetail concurrentModification(ConcurrencyException e) {
    return Problems.of(
        HttpStatus.CONFLICT,
        "concurrent-modification",
        "Concurrent modification",
        "the account was changed by a concurrent request; retry");
  }

  @ExceptionHandler(ForbiddenException.class)
  ProblemDetail forbidden(ForbiddenException e) {
    return Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage());
  }

  @ExceptionHandler(IdempotencyConflictException.class)
  ProblemDetail idempotencyConflict(IdempotencyConflictException e) {
    return Problems.of(
        HttpStatus.UNPROCESSABLE_ENTITY,
        "idempotency-conflict",
        "Idempotency key reused",
        e.getMessage());
  }

  @ExceptionHandler(InvalidRequestException.class)
  ProblemDetail invalidRequest(InvalidRequestException e) {
    return Problems.of(HttpStatus.BAD_REQUEST, "validation", "Invalid request", e.getMessage());
  }

  @ExceptionHandler(ContendedException.class)
  ResponseEntity<ProblemDetail> contended(ContendedException e) {
    return unavailable(
        "contended",
        "Account busy",
        "the account is being changed by many concurrent requests; retry shortly");
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    if (DependencyOutage.isOutage(e)) {
      log.warn("A dependency is unavailable: {}", e.toString());
      return unavailable(
          "unavailable",
          "Service unavailable",
          "a dependency of the ledger is unavailable; nothing was applied, retry later"
              + " (with the same Idempotency-Key)");
    }
    log.error("Unexpected failure while handling a request", e);
    return ResponseEntity.internalServerError()
        .body(
            Problems.of(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
                "the request could not be completed; it is safe to retry with the same"
                    + " Idempotency-Key"));
  }

  // 503 with Retry-After: clients and load balancers retry rather than give up.
  private static ResponseEntity<ProblemDetail> unavailable(
      String kind, String title, String detail) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, kind, title, detail));
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
      return payloadTooLarge();
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

  static ResponseEntity<Object> payloadTooLarge() {
    return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
        .body(
            Problems.of(
                HttpStatus.PAYLOAD_TOO_LARGE,
                "payload-too-large",
                "Payload too large",
                "the request body exceeds the limit"));
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
      problem.setType(Problems.type(ContainerErrorConfiguration.kind(statusCode.value())));
    }
    return super.handleExceptionInternal(ex, body, headers, statusCode, request);
  }
}
