package io.ledgerline.command.idempotency;

import io.ledgerline.platform.web.problem.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The problems of safe retries: a reused key, and an aggregate contended past the timeout. */
// Ahead of the catch-all handler, which would otherwise answer these as internal errors.
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class IdempotencyProblems {

  @ExceptionHandler(IdempotencyConflictException.class)
  ProblemDetail idempotencyConflict(IdempotencyConflictException e) {
    return Problems.of(
        HttpStatus.UNPROCESSABLE_ENTITY,
        "idempotency-conflict",
        "Idempotency key reused",
        e.getMessage());
  }

  // 503 with Retry-After: nothing was applied and the same request may simply be sent again.
  @ExceptionHandler(ContendedException.class)
  ResponseEntity<ProblemDetail> contended(ContendedException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .body(
            Problems.of(
                HttpStatus.SERVICE_UNAVAILABLE,
                "contended",
                "Account busy",
                "the account is being changed by many concurrent requests; retry shortly"));
  }
}
