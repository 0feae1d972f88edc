-- Card top-ups (package topup).
--
-- top_up_status: where each top-up stands, as the command side knows it, kept in step with the
-- top-up's events in their own transaction (the subscribing processor top-up-status), like
-- transfer_status. It answers GET /api/v1/topups/{id} at once, tells a retried POST which intent to
-- continue with, and lets the webhook find the top-up of an intent. credited_at is set in the
-- transaction of the deposit that credits the top-up.
create table top_up_status (
    top_up_id    varchar(255) not null primary key,
    account_id   varchar(255) not null,
    amount       bigint       not null,
    currency     char(3)      not null,
    status       varchar(32)  not null,
    intent_id    varchar(255),
    failure_code varchar(64),
    requested_at timestamptz  not null,
    updated_at   timestamptz  not null,
    credited_at  timestamptz
);

create index top_up_status_account on top_up_status (account_id);

-- Verified gateway events no top-up could take: for a top-up (or intent) the ledger does not know,
-- or one that does not match its top-up (another intent, amount, currency or account). They are
-- answered 2xx, so the gateway stops sending them, and kept here for an operator, one row per
-- gateway event id however often it was delivered. Not events of the ledger: nothing happened to
-- any account or top-up.
create table gateway_event_ignored (
    event_id         varchar(255) not null primary key,
    event_type       varchar(255) not null,
    intent_id        varchar(255),
    top_up_id        varchar(255),
    reason           varchar(64)  not null,
    first_received   timestamptz  not null default now(),
    last_received    timestamptz  not null default now(),
    deliveries       integer      not null default 1
);

do $$
begin
    if exists (select 1 from pg_roles where rolname = 'ledgerline_app') then
        grant select, insert, update on top_up_status, gateway_event_ignored to ledgerline_app;
    end if;
end
$$;
