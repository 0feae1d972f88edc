package io.ledgerline.command.account;

import io.ledgerline.events.AccountClosed;
import io.ledgerline.events.AccountFrozen;
import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.AccountUnfrozen;
import java.time.Instant;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Which accounts exist, with owner, currency and status: updated in the transaction that stores the
 * account's events (a subscribing processor), so a check made after a command returned sees it.
 * Used for checks a single aggregate cannot make, like a transfer's two currencies.
 */
@Component
@ProcessingGroup(AccountDirectory.PROCESSOR)
public class AccountDirectory implements KnownAccounts {

  static final String PROCESSOR = "account-directory";

  /** One account as the directory knows it. */
  public record Entry(String accountId, String ownerId, String currency, String status) {}

  private final JdbcTemplate jdbc;

  AccountDirectory(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public boolean exists(String accountId) {
    return find(accountId).isPresent();
  }

  /** The account, if it was ever opened. */
  public Optional<Entry> find(String accountId) {
    return jdbc
        .query(
            "select account_id, owner_id, currency, status from account_directory"
                + " where account_id = ?",
            (row, n) ->
                new Entry(
                    row.getString("account_id"),
                    row.getString("owner_id"),
                    row.getString("currency"),
                    row.getString("status")),
            accountId)
        .stream()
        .findFirst();
  }

  @EventHandler
  void on(AccountOpened event, @Timestamp Instant at) {
    jdbc.update(
        "insert into account_directory (account_id, owner_id, currency, status, opened_at)"
            + " values (?, ?, ?, 'OPEN', ?) on conflict (account_id) do nothing",
        event.accountId(),
        event.ownerId(),
        event.currency(),
        java.sql.Timestamp.from(at));
  }

  @EventHandler
  void on(AccountFrozen event) {
    status(event.accountId(), "FROZEN");
  }

  @EventHandler
  void on(AccountUnfrozen event) {
    status(event.accountId(), "OPEN");
  }

  @EventHandler
  void on(AccountClosed event) {
    status(event.accountId(), "CLOSED");
  }

  private void status(String accountId, String status) {
    jdbc.update("update account_directory set status = ? where account_id = ?", status, accountId);
  }
}
