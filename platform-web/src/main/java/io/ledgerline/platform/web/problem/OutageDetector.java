package io.ledgerline.platform.web.problem;

/**
 * Recognises the failures of one of the service's own dependencies (a search cluster, a remote API)
 * as an outage. A service declares one as a bean; {@link DependencyOutage} asks each of them about
 * every cause of a failure, after its own database checks.
 */
@FunctionalInterface
public interface OutageDetector {

  /** Whether this one cause (not its own causes) says a dependency is unavailable. */
  boolean isOutage(Throwable cause);
}
