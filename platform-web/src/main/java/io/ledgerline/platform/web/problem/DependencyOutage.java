package io.ledgerline.platform.web.problem;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a dependency outage (the database unreachable, restarting or out of connections, or a
 * dependency an {@link OutageDetector} knows unavailable) from a failure of the request itself: an
 * outage is answered 503 with {@code Retry-After}, so that clients and load balancers retry, never
 * 500.
 */
public final class DependencyOutage {

  // SQLSTATE codes of PostgreSQL that mean "not now", not "never" (with classes 08 and 57P).
  private static final Set<String> UNAVAILABLE_STATES = Set.of("53300", "53000", "40001", "40P01");

  private final List<OutageDetector> detectors;

  public DependencyOutage(List<OutageDetector> detectors) {
    this.detectors = List.copyOf(detectors);
  }

  /** Whether {@code failure} or any of its causes says a dependency is unavailable. */
  public boolean isOutage(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (isDatabaseOutage(cause)) {
        return true;
      }
      for (OutageDetector detector : detectors) {
        if (detector.isOutage(cause)) {
          return true;
        }
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  /** Whether this one cause says the database (or the connection to it) is unavailable. */
  public static boolean isDatabaseOutage(Throwable cause) {
    if (cause instanceof CannotCreateTransactionException
        || cause instanceof DataAccessResourceFailureException
        || cause instanceof TransientDataAccessResourceException
        || cause instanceof QueryTimeoutException
        || cause instanceof SQLTransientConnectionException
        || cause instanceof ConnectException) {
      return true;
    }
    if (cause instanceof SQLException sql && sql.getSQLState() != null) {
      String state = sql.getSQLState();
      return state.startsWith("08")
          || state.startsWith("57P")
          || UNAVAILABLE_STATES.contains(state);
    }
    return false;
  }
}
