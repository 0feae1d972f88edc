-- No burnt positions under contention. V6 refused an append whose sequence number was already
-- committed before it took a position; two appends of the same sequence number in flight at once
-- still both took one, and the loser's became a gap (20 in 200 interleaved deposits through two
-- command-side instances). Every gap rides in each tracking token and in every event the store
-- reads ahead, so gaps are memory. Same function as V6 with a per-aggregate try-lock in front.

create or replace function ledgerline_chain_event() returns trigger language plpgsql as $$
declare
    previous bytea;
    floor bigint;
begin
    if new.global_index is null then
        -- One appending transaction per aggregate at a time. Without it, two transactions that
        -- append the same sequence number concurrently both pass the check below (neither row is
        -- committed yet), both take a position, and the loser burns its position at the unique
        -- key. The loser now fails here at once, without waiting and without a position; Axon
        -- reports it as a concurrency conflict, which the command side retries. The lock is
        -- reentrant, so a transaction appending several events to one aggregate takes it once.
        -- (Two-key form, class 742: apart from the single-key position locks that
        -- ledgerline_settled_position() reads and the sealer's lock, class 741.)
        if not pg_try_advisory_xact_lock(742, hashtext(new.aggregate_identifier)) then
            raise exception using errcode = 'unique_violation',
                message = format('%s is being appended to by another transaction',
                                 new.aggregate_identifier);
        end if;
        -- A stale writer fails here, before it takes (and, rolling back, burns) a position: every
        -- burnt position is a gap that the tracking processors carry until it times out. Holding
        -- the lock, this statement sees every event of the aggregate that will ever precede ours.
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
