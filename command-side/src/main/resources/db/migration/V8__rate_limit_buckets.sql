-- Rate limits shared by every instance of both services: Bucket4j's PostgreSQL proxy manager
-- (select for update; the api package's RateLimitStore), one row per token bucket. The key names
-- the service, the limit and the client (address, and a digest of the token subject). Nothing here
-- is history: a refilled bucket is the same as no row, so the services delete rows past expires_at
-- (a minute after the bucket will have refilled).
create table rate_limit_bucket (
    id         varchar(255) not null primary key,
    state      bytea,                   -- Bucket4j's serialized bucket; null until its first write
    -- Epoch milliseconds. A row whose first write never came (a crash in between) expires at once.
    expires_at bigint       not null default (extract(epoch from clock_timestamp()) * 1000)::bigint
);
create index rate_limit_bucket_expires_at on rate_limit_bucket (expires_at);

-- Both services keep their limits here, the query side too: this table is all it may change.
do $$
begin
    if exists (select 1 from pg_roles where rolname = 'ledgerline_app') then
        grant select, insert, update, delete on rate_limit_bucket to ledgerline_app;
    end if;
    if exists (select 1 from pg_roles where rolname = 'ledgerline_audit') then
        grant select, insert, update, delete on rate_limit_bucket to ledgerline_audit;
    end if;
end
$$;
