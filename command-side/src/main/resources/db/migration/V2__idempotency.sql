-- The first outcome of each idempotent request, written in the same transaction as the events
-- the request produced: either both exist or neither does.
create table idempotency_record (
    scope           varchar(255) not null,  -- the authenticated subject: keys are per client
    idempotency_key varchar(255) not null,
    request_hash    char(64)     not null,  -- SHA-256 of method, path and canonical body
    result_type     varchar(255) not null,
    result_json     bytea        not null,
    created_at      timestamptz  not null default now(),
    constraint idempotency_record_pkey primary key (scope, idempotency_key)
);

create index idempotency_record_created_at on idempotency_record (created_at);
