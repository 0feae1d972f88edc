-- A gap-safe global order. Readers of the global order (the audit feed, the export, the
-- checkpoint sealer, rebuilds) must never move past a position that a transaction still in flight
-- can commit. Transaction ids do not give that rule: an older transaction (one that wrote a token,
-- a saga row or an idempotency record first) can insert its event after a younger one, so a
-- younger event at a smaller position can still be in flight when the older one at a larger
-- position already counts as settled.
--
-- The rule here: before an appending transaction takes its first position, it holds a shared
-- transaction-level advisory lock keyed by the sequence's value at that moment (always below every
-- position it will take). Readers call ledgerline_settled_position(): the sequence's current value,
-- then the smallest such key still held. Every position at or below the smaller of the two belongs
-- to a transaction that has committed or rolled back, so a later statement sees all of them.

-- Positions are taken by the trigger, after the lock, no longer by the column default.
alter table domain_event_entry alter column global_index drop default;

create or replace function ledgerline_chain_event() returns trigger language plpgsql as $$
declare
    previous bytea;
    floor bigint;
begin
    if new.global_index is null then
        -- A stale writer fails here, before it takes (and, rolling back, burns) a position: every
        -- burnt position is a gap that the tracking processors carry until it times out.
        if exists (select 1 from domain_event_entry
                    where aggregate_identifier = new.aggregate_identifier
                      and sequence_number = new.sequence_number) then
            raise exception using errcode = 'unique_violation',
                message = format('event %s of %s is already stored',
                                 new.sequence_number, new.aggregate_identifier);
        end if;
        -- Once per transaction: later positions of the same transaction are above this key too.
        if current_setting('ledgerline.position_claimed', true) is distinct from 'on' then
            select case when is_called then last_value else last_value - 1 end
              into floor from domain_event_entry_global_index_seq;
            perform pg_advisory_xact_lock_shared(floor);
            perform set_config('ledgerline.position_claimed', 'on', true);
        end if;
        new.global_index := nextval('domain_event_entry_global_index_seq');
    end if;
    if new.sequence_number > 0 then
        select hash into previous from domain_event_entry
         where aggregate_identifier = new.aggregate_identifier
           and sequence_number = new.sequence_number - 1;
        if previous is null then
            raise exception 'event % of % has no predecessor to chain to',
                new.sequence_number, new.aggregate_identifier;
        end if;
    end if;
    new.hash := ledgerline_event_hash(previous, new.aggregate_identifier, new.sequence_number,
        new.type, new.payload_type, new.payload_revision, new.time_stamp, new.payload,
        new.meta_data);
    return new;
end
$$;

-- The highest position below which nothing can commit any more. Call it in a statement of its own,
-- before the statement that reads the rows: that statement's snapshot then sees every position up
-- to the answer. Order matters: the sequence first, then the locks.
create function ledgerline_settled_position() returns bigint
language plpgsql volatile security definer set search_path = public, pg_catalog as $$
declare
    allocated bigint;
    oldest_in_flight bigint;
begin
    select case when is_called then last_value else last_value - 1 end
      into allocated from domain_event_entry_global_index_seq;
    select min((l.classid::bigint << 32) | l.objid::bigint)
      into oldest_in_flight
      from pg_locks l
     where l.locktype = 'advisory'
       and l.objsubid = 1
       and l.database = (select oid from pg_database where datname = current_database());
    return least(allocated, coalesce(oldest_in_flight, allocated));
end
$$;

-- The transaction-id rule is gone; so is its per-insert cost.
drop index domain_event_entry_tx;
alter table domain_event_entry drop column tx_id;

do $$
begin
    if exists (select 1 from pg_roles where rolname = 'ledgerline_app') then
        -- The trigger reads the sequence's current value as the appending role.
        grant select on sequence domain_event_entry_global_index_seq to ledgerline_app;
    end if;
end
$$;
