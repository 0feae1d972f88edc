-- The same hash (V4), computed without parsing its definition again in every transaction.
--
-- As a SQL function, ledgerline_event_hash could not be inlined into the trigger's expression: it
-- is declared immutable, but its `||` of text with a bigint is only stable, and the planner inlines
-- no function whose body is less immutable than its declaration. So each call went through
-- fmgr_sql, which parses, analyses and plans the body afresh for every transaction that appends:
-- 15 % of PostgreSQL's CPU under the benchmark's P1 load (perf, with call graphs). PL/pgSQL plans
-- its one expression once per session and keeps it. The bytes are the same: EventHashIT compares
-- this function with the Java verifier's EventHash, and every stored chain still verifies.

create or replace function ledgerline_event_hash(
    previous bytea, aggregate_identifier text, sequence_number bigint, type text,
    payload_type text, payload_revision text, time_stamp text, payload bytea, meta_data bytea)
returns bytea language plpgsql immutable as $$
begin
    return sha256(
        coalesce(ledgerline_event_hash.previous, ''::bytea)
        || sha256(convert_to(
               ledgerline_event_hash.aggregate_identifier
               || '|' || ledgerline_event_hash.sequence_number
               || '|' || coalesce(ledgerline_event_hash.type, '')
               || '|' || ledgerline_event_hash.payload_type
               || '|' || coalesce(ledgerline_event_hash.payload_revision, '')
               || '|' || ledgerline_event_hash.time_stamp,
               'UTF8'))
        || sha256(ledgerline_event_hash.payload)
        || sha256(coalesce(ledgerline_event_hash.meta_data, ''::bytea)));
end
$$;
