-- Leads accepted by intake. A lead is durably here before intake answers 202;
-- completed_at is set once every selected buyer has a terminal outcome.
create table leads (
    lead_id      text primary key,
    payload      jsonb       not null,
    source       text        not null,
    received_at  timestamptz not null default now(),
    completed_at timestamptz
);
create index leads_incomplete on leads (received_at) where completed_at is null;

-- Every recipient event, whole, plus the columns that queries filter on. Append-only.
create table recipient_events (
    seq              bigserial    primary key,
    event_id         uuid         not null unique,
    event_type       text         not null,
    lead_id          text         not null,
    recipient_id     text,
    occurred_at      timestamptz  not null,
    outcome          text,
    failure_category text,
    failure_reason   text,
    duration_ms      integer,
    price            numeric(12, 2),
    event            jsonb        not null,
    recorded_at      timestamptz  not null default now()
);
create index recipient_events_lead on recipient_events (lead_id, seq);
create index recipient_events_recipient on recipient_events (recipient_id, occurred_at);
create index recipient_events_type on recipient_events (event_type, occurred_at);

-- The table is an audit trail: the database itself refuses changes. Only the retention
-- job may delete, and it says so by setting leadrouter.retention = 'on' in its transaction.
create function recipient_events_append_only() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' and current_setting('leadrouter.retention', true) = 'on' then
        return old;
    end if;
    raise exception 'recipient_events is append-only: % is not allowed', tg_op;
end;
$$;
create trigger recipient_events_append_only
    before update or delete on recipient_events
    for each row execute function recipient_events_append_only();
create trigger recipient_events_no_truncate
    before truncate on recipient_events
    for each statement execute function recipient_events_append_only();

-- Leads whose retries to one buyer were exhausted, with the last failure; replayable.
create table dead_letters (
    id           bigserial   primary key,
    lead_id      text        not null references leads (lead_id),
    recipient_id text        not null,
    failure      jsonb       not null,
    attempts     integer     not null,
    created_at   timestamptz not null default now(),
    replayed_at  timestamptz
);
create index dead_letters_pending on dead_letters (created_at) where replayed_at is null;
