package io.ledgerline.query.api;

import io.ledgerline.platform.web.problem.DependencyOutage;
import io.ledgerline.platform.web.problem.ProblemExceptionHandler;
import io.ledgerline.platform.web.problem.Problems;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The query API's own problems (unknown entries, expired cursors, read models not caught up yet,
 * unreadable parameters) on top of platform-web's shared ones.
 */
@Order(ProblemExceptionHandler.ORDER)
@RestControllerAdvice
class QueryProblems extends ProblemExceptionHandler {

  QueryProblems(DependencyOutage outage) {
    super(
        outage,
        "a data store of the query side is unavailable; retry later",
        "the query could not be answered; retry later");
  }

  @ExceptionHandler(NotFoundException.class)
  ProblemDetail notFound(NotFoundException e) {
    return Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
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
    return unavailable(problem);
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

  // The query API has always typed Spring MVC's own errors so: every bad parameter is validation.
  @Override
  protected String kindOf(int status) {
    return status == 404 ? "not-found" : status == 400 ? "validation" : "http-" + status;
  }
}
