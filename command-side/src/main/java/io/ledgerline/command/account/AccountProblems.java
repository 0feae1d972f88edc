package io.ledgerline.command.account;

import io.ledgerline.platform.web.problem.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Maps each broken account rule to its own problem type. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class AccountProblems {

  @ExceptionHandler(AccountRuleViolation.class)
  ProblemDetail ruleViolated(AccountRuleViolation violation) {
    return switch (violation.kind()) {
      case INVALID_AMOUNT ->
          Problems.of(
              HttpStatus.UNPROCESSABLE_ENTITY,
              "invalid-amount",
              "Invalid amount",
              violation.getMessage());
      case INSUFFICIENT_FUNDS ->
          Problems.of(
              HttpStatus.UNPROCESSABLE_ENTITY,
              "insufficient-funds",
              "Insufficient funds",
              violation.getMessage());
      case ACCOUNT_FROZEN ->
          Problems.of(
              HttpStatus.CONFLICT, "account-frozen", "Account frozen", violation.getMessage());
      case ACCOUNT_CLOSED ->
          Problems.of(
              HttpStatus.CONFLICT, "account-closed", "Account closed", violation.getMessage());
      case NON_ZERO_BALANCE ->
          Problems.of(
              HttpStatus.CONFLICT,
              "non-zero-balance",
              "Balance is not zero",
              violation.getMessage());
    };
  }
}
