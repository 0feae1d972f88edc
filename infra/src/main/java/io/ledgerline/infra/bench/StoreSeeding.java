package io.ledgerline.infra.bench;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;

/**
 * Fills the event store up to {@code --p5-events} before P5 replays it, so that its rates are those
 * of a store of that size and not of the fixed start-up costs. Appends whole account histories
 * straight into {@code domain_event_entry} with SQL, as {@code MillionEventsIT} does: an {@code
 * AccountOpened}, then {@code FundsDeposited} events with a running {@code balanceAfterMinor}, in
 * the JSON the command side stores. The database's trigger takes their positions and chains their
 * hashes as for every append; the command side's publisher then carries them to Kafka and the
 * projections like any other event (see {@link PipelineCatchUp}).
 *
 * <p>The accounts are named {@code bench-<run>-seed-<n>}: the services name accounts by UUID, and
 * every run has its own id, so they collide neither with real accounts nor with earlier runs'.
 */
final class StoreSeeding {

  /** Events of one seeded account: its opening and 99 deposits. */
  static final int EVENTS_PER_ACCOUNT = 100;

  /** Events appended per transaction: one statement, a bounded time its locks are held. */
  static final int EVENTS_PER_TRANSACTION = 20_000;

  /** Each seeded deposit, in minor units of EUR. */
  static final long DEPOSIT_MINOR = 100;

  // Whole accounts per statement. The trigger holds an advisory lock per appended aggregate until
  // commit, from a lock table shared by all sessions (max_locks_per_transaction, 64, times the
  // connections): hundreds in one transaction are fine, tens of thousands are not.
  private static final int ACCOUNTS_PER_TRANSACTION = EVENTS_PER_TRANSACTION / EVENTS_PER_ACCOUNT;

  // The JSON is built by PostgreSQL (valid, escaped), with the field names of the event records in
  // shared-events; FundsDeposited is at revision 2 (EventRevisions), as the command side stores it.
  // The metadata says who and why, as a command's does; no command caused these, so no causationId.
  // Rows go in account then sequence order: the trigger chains each to the one inserted before it.
  private static final String INSERT =
      """
      with seed (prefix, owner_id, stored_at, deposit, meta_data) as (
          values (?::text, ?::text, ?::text, ?::bigint,
                  convert_to(json_build_object('subject', ?::text, 'correlationId', ?::text)::text,
                             'UTF8')))
      insert into domain_event_entry (event_identifier, aggregate_identifier, sequence_number,
          type, time_stamp, payload_type, payload_revision, payload, meta_data)
      select gen_random_uuid()::text, seed.prefix || a, s, 'Account', seed.stored_at,
             case when s = 0 then 'io.ledgerline.events.AccountOpened'
                  else 'io.ledgerline.events.FundsDeposited' end,
             case when s = 0 then null else '2' end,
             convert_to(case when s = 0
                 then json_build_object('accountId', seed.prefix || a, 'ownerId', seed.owner_id,
                          'currency', 'EUR', 'overdraftLimitMinor', 0)
                 else json_build_object('accountId', seed.prefix || a, 'amountMinor', seed.deposit,
                          'currency', 'EUR', 'balanceAfterMinor', s * seed.deposit,
                          'reference', null, 'topUpId', null)
                 end::text, 'UTF8'),
             seed.meta_data
        from seed, generate_series(?::int, ?::int) a, generate_series(0, ?::int) s
       order by a, s
      """;

  /**
   * What was appended.
   *
   * @param before the events in the store before
   * @param accounts the accounts appended, named {@code prefix1} to {@code prefix<accounts>}
   * @param events the events appended
   * @param prefix the accounts' ids before their number
   * @param seconds how long the appends took
   */
  record Seeded(long before, long accounts, long events, String prefix, double seconds) {}

  private final RawLimits raw;
  private final PrintStream out;
  private final String subject;

  /**
   * @param raw the connection settings of the raw limits
   * @param out where the progress is printed
   * @param subject this run's seeding subject: the prefix of the accounts, their owner, and the
   *     subject and correlation id of their events
   */
  StoreSeeding(RawLimits raw, PrintStream out, String subject) {
    this.raw = raw;
    this.out = out;
    this.subject = subject;
  }

  /** Whole accounts that take a store of {@code stored} events to at least {@code target}. */
  static long accountsFor(long stored, long target) {
    long missing = target - stored;
    return missing <= 0 ? 0 : (missing + EVENTS_PER_ACCOUNT - 1) / EVENTS_PER_ACCOUNT;
  }

  /** Appends accounts until the store holds at least {@code target} events. */
  Seeded fillTo(long target) throws SQLException {
    long before = raw.events();
    long accounts = accountsFor(before, target);
    String prefix = subject + "-";
    if (accounts == 0) {
      out.printf(
          Locale.ROOT,
          "  event store: %,d events, at least the %,d of --p5-events: nothing seeded%n",
          before,
          target);
      return new Seeded(before, 0, 0, prefix, 0);
    }
    long events = accounts * EVENTS_PER_ACCOUNT;
    out.printf(
        Locale.ROOT,
        "  event store: %,d events; seeding %,d for --p5-events=%,d: %,d accounts (%s1 to"
            + " %s%d) of %d events, %,d events a transaction%n",
        before,
        events,
        target,
        accounts,
        prefix,
        prefix,
        accounts,
        EVENTS_PER_ACCOUNT,
        EVENTS_PER_TRANSACTION);
    long started = System.nanoTime();
    long lastPrinted = started;
    try (Connection connection = raw.database();
        PreparedStatement insert = connection.prepareStatement(INSERT)) {
      connection.setAutoCommit(true);
      for (long first = 1; first <= accounts; first += ACCOUNTS_PER_TRANSACTION) {
        long last = Math.min(accounts, first + ACCOUNTS_PER_TRANSACTION - 1);
        insert.setString(1, prefix);
        insert.setString(2, subject);
        insert.setString(3, Instant.now().toString());
        insert.setLong(4, DEPOSIT_MINOR);
        insert.setString(5, subject);
        insert.setString(6, subject);
        insert.setInt(7, Math.toIntExact(first));
        insert.setInt(8, Math.toIntExact(last));
        insert.setInt(9, EVENTS_PER_ACCOUNT - 1);
        insert.executeUpdate();
        long now = System.nanoTime();
        if (now - lastPrinted > 5_000_000_000L && last < accounts) {
          out.printf(
              Locale.ROOT, "  seeded %,d of %,d events%n", last * EVENTS_PER_ACCOUNT, events);
          lastPrinted = now;
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf(
        Locale.ROOT,
        "  seeded %,d events in %.1f s (%,.0f events/s)%n",
        events,
        seconds,
        events / seconds);
    return new Seeded(before, accounts, events, prefix, seconds);
  }
}
