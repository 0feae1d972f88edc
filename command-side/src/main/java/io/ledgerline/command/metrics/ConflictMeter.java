package io.ledgerline.command.metrics;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Counts the conflicts the API answers ({@code ledgerline.command.conflicts}): each 409 and 412
 * problem, by status and problem kind (a stale {@code If-Match}, a frozen or closed account, a
 * concurrent modification).
 */
@RestControllerAdvice
class ConflictMeter implements ResponseBodyAdvice<Object> {

  private static final String PROBLEM_TYPE = "urn:ledgerline:problem:";

  private final CommandMeters meters;

  ConflictMeter(CommandMeters meters) {
    this.meters = meters;
  }

  @Override
  public boolean supports(
      MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
    return true; // The body's type decides: a ProblemDetail, returned plain or in a ResponseEntity.
  }

  @Override
  public Object beforeBodyWrite(
      Object body,
      MethodParameter returnType,
      MediaType selectedContentType,
      Class<? extends HttpMessageConverter<?>> selectedConverterType,
      ServerHttpRequest request,
      ServerHttpResponse response) {
    if (body instanceof ProblemDetail problem
        && (problem.getStatus() == 409 || problem.getStatus() == 412)) {
      meters.conflict(problem.getStatus(), kind(problem));
    }
    return body;
  }

  static String kind(ProblemDetail problem) {
    String type = problem.getType() == null ? "" : problem.getType().toString();
    return type.startsWith(PROBLEM_TYPE) ? type.substring(PROBLEM_TYPE.length()) : "other";
  }
}
