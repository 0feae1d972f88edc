package io.ledgerline.query.api;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a dependency outage (Elasticsearch or the event store's database unreachable, overloaded or
 * restarting) from a failure of the query itself: an outage is answered 503 with {@code
 * Retry-After}, so that dashboards and load balancers retry, never 500.
 */
final class DependencyOutage {

  private DependencyOutage() {}

  static boolean isOutage(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ElasticsearchException rejected) {
        return rejected.status() == 429 || rejected.status() >= 500;
      }
      if (cause instanceof IOException
          || cause instanceof CannotCreateTransactionException
          || cause instanceof DataAccessResourceFailureException
          || cause instanceof QueryTimeoutException
          || cause instanceof SQLTransientConnectionException) {
        return true;
      }
      if (cause instanceof SQLException sql
          && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }
}
