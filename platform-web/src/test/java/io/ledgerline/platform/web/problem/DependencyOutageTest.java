package io.ledgerline.platform.web.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

class DependencyOutageTest {

  /** Stands in for a service's own dependency, such as a search cluster. */
  static final class ClusterDown extends RuntimeException {}

  private final DependencyOutage testSubject =
      new DependencyOutage(List.of(cause -> cause instanceof ClusterDown));

  @Test
  void anUnreachableRestartingOrExhaustedDatabaseIsAnOutage() {
    for (Throwable failure :
        List.of(
            new CannotCreateTransactionException("no connection"),
            new DataAccessResourceFailureException("gone"),
            new TransientDataAccessResourceException("restarting"),
            new QueryTimeoutException("slow"),
            new SQLTransientConnectionException("pool exhausted"),
            new ConnectException("refused"),
            sql("08006"),
            sql("08001"),
            sql("57P01"),
            sql("57P03"),
            sql("53300"),
            sql("40001"),
            sql("40P01"))) {
      assertThat(testSubject.isOutage(failure)).as(failure.toString()).isTrue();
      assertThat(testSubject.isOutage(new IllegalStateException("wrapped", failure)))
          .as("caused by " + failure)
          .isTrue();
    }
  }

  @Test
  void aFailureOfTheRequestItselfIsNone() {
    for (Throwable failure :
        List.of(
            new IllegalStateException("bug"),
            new DataIntegrityViolationException("duplicate"),
            sql("23505"),
            sql("22P02"),
            new SQLException("no state"))) {
      assertThat(testSubject.isOutage(failure)).as(failure.toString()).isFalse();
    }
  }

  @Test
  void theServicesDetectorsAreAskedAboutEveryCause() {
    assertThat(testSubject.isOutage(new ClusterDown())).isTrue();
    assertThat(testSubject.isOutage(new RuntimeException(new RuntimeException(new ClusterDown()))))
        .isTrue();
    assertThat(new DependencyOutage(List.of()).isOutage(new ClusterDown())).isFalse();
  }

  private static SQLException sql(String state) {
    return new SQLException("failed", state);
  }
}
