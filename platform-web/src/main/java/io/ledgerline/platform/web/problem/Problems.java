package io.ledgerline.platform.web.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/** Builds RFC 9457 problem details with a stable {@code type} per kind of error. */
public final class Problems {

  private static final String TYPE_PREFIX = "urn:ledgerline:problem:";

  // Its own mapper: a problem written by a filter never depends on the web layer's settings.
  private static final ObjectMapper JSON = new ObjectMapper();

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
      HttpServletResponse response, int status, String kind, String title, String detail)
      throws IOException {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", type(kind).toString());
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(JSON.writeValueAsString(problem));
  }

  /** The {@code type} URI of a kind of problem. */
  public static URI type(String kind) {
    return URI.create(TYPE_PREFIX + kind);
  }

  /** The kind of a bare HTTP error status, for errors that carry no kind of their own. */
  public static String kindOf(int status) {
    return switch (status) {
      case 400 -> "bad-request";
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 406 -> "not-acceptable";
      case 413 -> "payload-too-large";
      case 414 -> "uri-too-long";
      case 415 -> "unsupported-media-type";
      case 431 -> "headers-too-large";
      default -> "http-" + status;
    };
  }
}
