-- Personal data is never stored in clear in events: it is sealed (AES-256-GCM) under a key of the
-- owner it belongs to, and events carry the sealed text and the key's id. Keys live here, outside
-- the event store: destroying an owner's key (key := null) erases every text sealed with it while
-- every stored event, and so the hash chain over them, stays as it was.
--
-- A key is created on first use (insert ... on conflict do nothing, then read back, so that two
-- instances agree), wrapped under a key-encryption key when one is configured (key_wrapping says
-- by what), and destroyed by the erasure of its owner in the transaction that appends
-- OwnerPersonalDataErased. Erasure is final: a trigger refuses to give an erased row a key again.
-- A destroyed key may survive in backups and WAL archives until they expire.

create table owner_data_key (
    owner_id     varchar(255) not null primary key,
    key_id       varchar(64)  not null unique,
    key          bytea,
    key_wrapping varchar(64)  not null default 'none',
    created_at   timestamptz  not null default now(),
    erased_at    timestamptz,
    constraint owner_data_key_erased check ((key is null) = (erased_at is not null))
);

create function ledgerline_owner_data_key_final() returns trigger language plpgsql as $$
begin
    if new.owner_id is distinct from old.owner_id or new.key_id is distinct from old.key_id then
        raise exception 'the owner and id of key % never change', old.key_id;
    end if;
    if old.key is null and new.key is not null then
        raise exception 'owner % was erased: their key is gone for good', old.owner_id;
    end if;
    return new;
end
$$;

create trigger owner_data_key_final before update on owner_data_key
    for each row execute function ledgerline_owner_data_key_final();

-- The command side creates and destroys keys (never deletes a row: the erasure stays on record);
-- the query side only reads them, to open sealed fields for its answers.
do $$
begin
    if exists (select 1 from pg_roles where rolname = 'ledgerline_app') then
        grant select, insert, update on owner_data_key to ledgerline_app;
    end if;
    if exists (select 1 from pg_roles where rolname = 'ledgerline_audit') then
        grant select on owner_data_key to ledgerline_audit;
    end if;
end
$$;
