package io.ledgerline.platform.web.openapi;

import io.ledgerline.platform.web.problem.Problems;
import org.springframework.http.HttpStatus;

/**
 * One kind of problem as the API description shows it: its {@code type} is {@code
 * urn:ledgerline:problem:<kind>}.
 *
 * @param kind the stable, kebab-case name, as passed to {@link Problems#of}
 * @param status the HTTP status it comes with
 * @param title its usual title
 * @param detail an example of its detail
 */
public record ProblemType(String kind, HttpStatus status, String title, String detail) {

  public static ProblemType of(HttpStatus status, String kind, String title, String detail) {
    return new ProblemType(kind, status, title, detail);
  }

  /** The {@code type} URI of the problem. */
  public String type() {
    return Problems.type(kind).toString();
  }
}
