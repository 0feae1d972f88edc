package io.ledgerline.command.api;

import io.ledgerline.platform.web.problem.DependencyOutage;
import io.ledgerline.platform.web.problem.ProblemExceptionHandler;
import io.ledgerline.platform.web.problem.Problems;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The command API's own problems (unknown accounts, stale versions, reused idempotency keys, busy
 * accounts) on top of platform-web's shared ones.
 */
@Order(ProblemExceptionHandler.ORDER)
@RestControllerAdvice
class CommandProblems extends ProblemExceptionHandler {

  CommandProblems(DependencyOutage outage) {
    super(
        outage,
        "a dependency of the ledger is unavailable; nothing was applied, retry later"
            + " (with the same Idempotency-Key)",
        "the request could not be completed; it is safe to retry with the same"
            + " Idempotency-Key");
  }

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
}
