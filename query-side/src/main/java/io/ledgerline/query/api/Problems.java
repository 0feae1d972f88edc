package io.ledgerline.query.api;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Builds RFC 9457 problem details with a stable {@code type} per kind of error. */
public final class Problems {

  private static final String TYPE_PREFIX = "urn:ledgerline:problem:";

  private Problems() {}

  /**
   * A problem of a given kind.
   *
   * @param status the HTTP status
   * @param kind a stable, kebab-case name of the error, e.g. {@code insufficient-funds}
   * @param title a short, human-readable summary of the kind
   * @param detail what happened in this case; never a stack trace
   */
  public static ProblemDetail of(HttpStatus status, String kind, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(type(kind));
    problem.setTitle(title);
    return problem;
  }

  /** The {@code type} URI of a kind of problem. */
  public static URI type(String kind) {
    return URI.create(TYPE_PREFIX + kind);
  }
}
