-- Tamper evidence. Every event row is chained to the previous event of its aggregate:
--   hash = sha256(previous hash || sha256(identity) || sha256(payload) || sha256(metadata))
-- where identity covers aggregate, sequence number, type, payload type, revision and timestamp.
-- The chain is computed by the database on insert, whoever inserts. Signed checkpoints over the
-- global order (audit_checkpoint) make rewriting history with recomputed hashes detectable too.

alter table domain_event_entry add column hash bytea;

-- The id of the inserting transaction: readers of the global order only see rows older than
-- every transaction still in flight, so a late commit can never be skipped.
alter table domain_event_entry add column tx_id xid8 not null default pg_current_xact_id();

create index domain_event_entry_tx on domain_event_entry (tx_id);

create function ledgerline_event_hash(
    previous bytea, aggregate_identifier text, sequence_number bigint, type text,
    payload_type text, payload_revision text, time_stamp text, payload bytea, meta_data bytea)
returns bytea language sql immutable as $$
    select sha256(
        coalesce(previous, ''::bytea)
        || sha256(convert_to(
               aggregate_identifier || '|' || sequence_number || '|' || coalesce(type, '') || '|'
               || payload_type || '|' || coalesce(payload_revision, '') || '|' || time_stamp,
               'UTF8'))
        || sha256(payload)
        || sha256(coalesce(meta_data, ''::bytea)))
$$;

create function ledgerline_chain_event() returns trigger language plpgsql as $$
declare
    previous bytea;
begin
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

-- Events stored before this migration are chained once, in order.
do $$
declare
    event record;
    previous bytea;
    last_aggregate text := null;
begin
    for event in select * from domain_event_entry order by aggregate_identifier, sequence_number loop
        if last_aggregate is distinct from event.aggregate_identifier then
            previous := null;
            last_aggregate := event.aggregate_identifier;
        end if;
        previous := ledgerline_event_hash(previous, event.aggregate_identifier,
            event.sequence_number, event.type, event.payload_type, event.payload_revision,
            event.time_stamp, event.payload, event.meta_data);
        update domain_event_entry set hash = previous where global_index = event.global_index;
    end loop;
end
$$;

create trigger domain_event_entry_chain before insert on domain_event_entry
    for each row execute function ledgerline_chain_event();

alter table domain_event_entry alter column hash set not null;

create table audit_checkpoint (
    id                 bigserial   primary key,
    up_to_global_index bigint      not null,
    event_count        bigint      not null,  -- events covered since the store began
    running_hash       bytea       not null,  -- sha256(previous running hash || event hash), in global order
    signature          bytea       not null,  -- HMAC-SHA256 over the fields above, with a key kept outside the database
    created_at         timestamptz not null default now()
);
