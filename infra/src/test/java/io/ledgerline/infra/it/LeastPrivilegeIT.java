package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerline.infra.localstack.PostgresNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The services' own database roles cannot rewrite history. */
@SystemTest
@Order(55)
class LeastPrivilegeIT {

  private static final String INSUFFICIENT_PRIVILEGE = "42501";

  @Test
  void theCommandSidesRoleCanAppendButNeverUpdateOrDeleteEvents() throws Exception {
    try (Connection app =
            DriverManager.getConnection(
                config().jdbcUrl(), PostgresNode.APP_ROLE, config().appPassword());
        Statement statement = app.createStatement()) {
      try (ResultSet rows = statement.executeQuery("select count(*) from domain_event_entry")) {
        assertThat(rows.next()).isTrue();
      }
      assertDenied(statement, "update domain_event_entry set payload = payload");
      assertDenied(statement, "delete from domain_event_entry");
      assertDenied(statement, "update audit_checkpoint set signature = signature");
      assertDenied(statement, "truncate domain_event_entry");
    }
  }

  @Test
  void theAuditRoleCanOnlyRead() throws Exception {
    try (Connection audit =
            DriverManager.getConnection(
                config().jdbcUrl(), PostgresNode.AUDIT_ROLE, config().auditPassword());
        Statement statement = audit.createStatement()) {
      try (ResultSet rows = statement.executeQuery("select count(*) from domain_event_entry")) {
        assertThat(rows.next()).isTrue();
      }
      assertDenied(statement, "update domain_event_entry set payload = payload");
      assertDenied(statement, "delete from domain_event_entry");
      assertDenied(
          statement,
          "insert into audit_checkpoint (up_to_global_index, event_count, running_hash, signature)"
              + " values (0, 0, '\\x00', '\\x00')");
      assertDenied(statement, "select * from idempotency_record");
    }
  }

  private static void assertDenied(Statement statement, String sql) {
    assertThatThrownBy(() -> statement.execute(sql))
        .as(sql)
        .isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo(INSUFFICIENT_PRIVILEGE);
  }
}
