package io.ledgerline.command.api;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a dependency outage (the database unreachable, restarting or out of connections) from a
 * failure of the request itself: an outage is answered 503 with {@code Retry-After}, so that
 * clients and load balancers retry, never 500.
 */
public final class DependencyOutage {

  // SQLSTATE classes and codes of PostgreSQL that mean "not now", not "never".
  private static final Set<String> UNAVAILABLE_STATES =
      Set.of("57P01", "57P02", "57P03", "53300", "53000", "40001", "40P01");

  private DependencyOutage() {}

  /** Whether {@code failure} or any of its causes says a dependency is unavailable. */
  public static boolean isOutage(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
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
        if (state.startsWith("08") || UNAVAILABLE_STATES.contains(state)) {
          return true;
        }
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }
}
