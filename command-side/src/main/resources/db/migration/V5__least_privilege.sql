-- Least privilege. The command side connects as ledgerline_app: it appends events but can never
-- change or delete one. The query side connects as ledgerline_audit: it only reads the event
-- store. Migrations run as the owner. The roles are created with the cluster (the local stack
-- does it; on a real cluster the DBA does); where they do not exist, nothing is granted.
do $$
begin
    if exists (select 1 from pg_roles where rolname = 'ledgerline_app') then
        grant usage on schema public to ledgerline_app;
        grant select, insert on domain_event_entry to ledgerline_app;
        grant select, insert, delete on snapshot_event_entry to ledgerline_app;
        grant select, insert, update, delete
            on token_entry, saga_entry, association_value_entry, idempotency_record to ledgerline_app;
        grant select, insert, update on account_directory, transfer_status to ledgerline_app;
        grant select, insert on audit_checkpoint to ledgerline_app;
        grant usage on all sequences in schema public to ledgerline_app;
    end if;
    if exists (select 1 from pg_roles where rolname = 'ledgerline_audit') then
        grant usage on schema public to ledgerline_audit;
        grant select on domain_event_entry, audit_checkpoint to ledgerline_audit;
    end if;
end
$$;
