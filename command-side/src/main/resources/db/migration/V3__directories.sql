-- Small lookup tables the command side keeps in step with its own events, in the same
-- transaction (subscribing processors): which accounts exist, in which currency, owned by whom,
-- and where each transfer stands. They answer synchronous checks without loading aggregates.

create table account_directory (
    account_id varchar(255) not null primary key,
    owner_id   varchar(255) not null,
    currency   char(3)      not null,
    status     varchar(16)  not null,
    opened_at  timestamptz  not null
);

create index account_directory_owner on account_directory (owner_id);

create table transfer_status (
    transfer_id     varchar(255) not null primary key,
    from_account_id varchar(255) not null,
    to_account_id   varchar(255) not null,
    amount          bigint       not null,
    currency        char(3)      not null,
    reference       text,
    status          varchar(16)  not null,
    reason          text,
    requested_at    timestamptz  not null,
    updated_at      timestamptz  not null
);
