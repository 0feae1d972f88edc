package io.ledgerline.command.personaldata;

import io.ledgerline.platform.web.problem.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** New personal data for an erased owner: a 409, since the owner's state forbids it for good. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class PersonalDataProblems {

  @ExceptionHandler(PersonalDataErasedException.class)
  ProblemDetail erased(PersonalDataErasedException e) {
    return Problems.of(
        HttpStatus.CONFLICT, "personal-data-erased", "Personal data erased", e.getMessage());
  }
}
