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

  /**
   * Writes a problem straight to a servlet response: for filters, the security chain and the
   * container, which answer before Spring MVC's exception handling can.
   */
  public static void write(
      jakarta.servlet.http.HttpServletResponse response,
      int status,
      String kind,
      String title,
      String detail)
      throws java.io.IOException {
    java.util.Map<String, Object> problem = new java.util.LinkedHashMap<>();
    problem.put("type", type(kind).toString());
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    response.setStatus(status);
    response.setContentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(JSON.writeValueAsString(problem));
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** The {@code type} URI of a kind of problem. */
  public static URI type(String kind) {
    return URI.create(TYPE_PREFIX + kind);
  }
}
