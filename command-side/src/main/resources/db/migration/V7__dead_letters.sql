-- Dead letters: events an event processor could not handle for a reason that retrying cannot
-- cure, parked with that reason so the rest of the stream goes on. Axon's JDBC sequenced
-- dead-letter queue (JdbcSequencedDeadLetterQueue) on snake_case names (the DeadLetterSchema in
-- deadletter/DeadLetterConfiguration): one row per parked event, a copy of the stored event, in
-- sequences (one transfer, one aggregate) of which only the first letter carries a cause.
-- Axon writes and compares its timestamps as ISO-8601 text, so they are text here too.
create table dead_letter_entry (
    dead_letter_id       varchar(255)  not null primary key,
    processing_group     varchar(255)  not null,  -- the event processor, e.g. transfer-process
    sequence_identifier  varchar(255)  not null,  -- e.g. the transfer id
    sequence_index       bigint        not null,  -- the letter's place in its sequence
    message_type         varchar(255)  not null,
    event_identifier     varchar(255)  not null,
    time_stamp           varchar(255)  not null,
    payload_type         varchar(255)  not null,
    payload_revision     varchar(255),
    payload              bytea         not null,
    meta_data            bytea,
    aggregate_type       varchar(255),
    aggregate_identifier varchar(255),
    sequence_number      bigint,
    token_type           varchar(255),
    token                bytea,
    enqueued_at          varchar(255)  not null,
    last_touched         varchar(255),
    processing_started   varchar(255),            -- claimed by a retry until then plus 30 s
    cause_type           varchar(255),
    cause_message        text,                    -- a retry's cause is stored untruncated
    diagnostics          bytea,                   -- JSON: how many attempts failed
    -- Also the lookup of a sequence (is this transfer parked?) and of its first letter.
    constraint dead_letter_entry_sequence
        unique (processing_group, sequence_identifier, sequence_index)
);

-- Retries take the sequence touched longest ago first.
create index dead_letter_entry_last_touched on dead_letter_entry (processing_group, last_touched);

-- The command side parks, retries (updates) and evicts (deletes) letters; see V5.
do $$
begin
    if exists (select 1 from pg_roles where rolname = 'ledgerline_app') then
        grant select, insert, update, delete on dead_letter_entry to ledgerline_app;
    end if;
end
$$;
