package io.ledgerline.query.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
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
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Every failure as an RFC 9457 problem with a stable type; never a stack trace. */
// Ahead of any framework default, behind the feature-specific advice.
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(io.ledgerline.query.security.ForbiddenException.class)
  ProblemDetail forbidden(io.ledgerline.query.security.ForbiddenException e) {
    return Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage());
  }

  @ExceptionHandler(NotFoundException.class)
  ProblemDetail notFound(NotFoundException e) {
    return Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
  }

  @ExceptionHandler(InvalidParameterException.class)
  ProblemDetail invalidParameter(InvalidParameterException e) {
    ProblemDetail problem =
        Problems.of(HttpStatus.BAD_REQUEST, "validation", "Invalid parameter", e.getMessage());
    problem.setProperty("parameter", e.parameter());
    return problem;
  }

  @ExceptionHandler(CursorExpiredException.class)
  ResponseEntity<ProblemDetail> cursorExpired(CursorExpiredException e) {
    ProblemDetail problem =
        Problems.of(HttpStatus.GONE, "cursor-expired", "Cursor expired", e.getMessage());
    problem.setProperty("parameter", "cursor");
    return ResponseEntity.status(HttpStatus.GONE).body(problem);
  }

  @ExceptionHandler(ProjectionBehindException.class)
  ResponseEntity<ProblemDetail> projectionBehind(ProjectionBehindException e) {
    ProblemDetail problem =
        Problems.of(
            HttpStatus.SERVICE_UNAVAILABLE,
            "projection-behind",
            "Read model not caught up yet",
            e.getMessage());
    problem.setProperty("requestedVersion", e.requested());
    problem.setProperty("currentVersion", e.current());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .body(problem);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ProblemDetail badParameter(MethodArgumentTypeMismatchException e) {
    ProblemDetail problem =
        Problems.of(
            HttpStatus.BAD_REQUEST,
            "validation",
            "Invalid parameter",
            "parameter " + e.getName() + " has an invalid value");
    problem.setProperty("parameter", e.getName());
    return problem;
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    if (DependencyOutage.isOutage(e)) {
      log.warn("A dependency is unavailable: {}", e.toString());
      // 503 with Retry-After: dashboards and load balancers retry rather than give up.
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
          .header(HttpHeaders.RETRY_AFTER, "1")
          .body(
              Problems.of(
                  HttpStatus.SERVICE_UNAVAILABLE,
                  "unavailable",
                  "Service unavailable",
                  "a data store of the query side is unavailable; retry later"));
    }
    log.error("Unexpected failure while handling a request", e);
    return ResponseEntity.internalServerError()
        .body(
            Problems.of(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
                "the query could not be answered; retry later"));
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

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
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
      problem.setType(
          Problems.type(
              statusCode.value() == 404
                  ? "not-found"
                  : statusCode.value() == 400 ? "validation" : "http-" + statusCode.value()));
    }
    return super.handleExceptionInternal(ex, body, headers, statusCode, request);
  }
}
