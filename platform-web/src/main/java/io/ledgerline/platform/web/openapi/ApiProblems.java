package io.ledgerline.platform.web.openapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The kinds of problem an operation answers with beyond those every operation shares (a missing
 * token, a role that may not act, a rate limit, an outage, and for a request body malformed or
 * unknown JSON, a body too large or of the wrong type). The API description lists each under its
 * status as {@code application/problem+json} with an example; a kind that no {@link ProblemCatalog}
 * knows fails the description.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ApiProblems {

  /** Kinds, such as {@code insufficient-funds}: {@code urn:ledgerline:problem:<kind>}. */
  String[] value();
}
