-- recipient_events partitioned by the UTC day of the events' timestamp (occurred_at), so that retention
-- drops a whole day at once (io.leadrouter.retention) instead of deleting rows. The existing table is
-- copied into its days, every event with its seq, and replaced; the seal (event_checkpoints) covers
-- seqs and the JSON's MD5, both unchanged, so it verifies as before. A partitioned table's keys must
-- hold its partition key: seq and event_id stay unique (seq from its sequence, event_id from the router
-- and each event's timestamp set once with it), and are keyed together with occurred_at.

-- What retention dropped: one row per day of events dropped, with how many and which seqs (as ranges), so
-- that verifying the seal tells an event retired by retention from one deleted behind its back (a day made
-- again for a late event and dropped again has a second row). Append-only.
create table event_retention (
    id          bigserial      primary key,
    day         date           not null,
    events      bigint         not null,
    seqs        int8multirange not null,
    dropped_at  timestamptz    not null default now()
);
create function event_retention_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'event_retention is append-only: % is not allowed', tg_op;
end;
$$;
create trigger event_retention_append_only
    before update or delete on event_retention
    for each row execute function event_retention_append_only();
create trigger event_retention_no_truncate
    before truncate on event_retention
    for each statement execute function event_retention_append_only();

-- The functions whose arguments are rows of the table are bound to its row type: they are made again,
-- from their own definitions, for the new table's.
create temporary table row_type_functions on commit drop as
select p.oid::regprocedure as signature, pg_get_functiondef(p.oid) as definition
from pg_proc p
where p.pronamespace = 'public'::regnamespace
  and p.proargtypes::oid[] && array['recipient_events'::regtype::oid, 'recipient_events[]'::regtype::oid];

do $$
declare
    f record;
begin
    for f in select signature from row_type_functions loop
        execute format('drop function %s', f.signature);
    end loop;
end;
$$;

alter table recipient_events rename to recipient_events_unpartitioned;
alter index recipient_events_lead rename to recipient_events_unpartitioned_lead;
alter index recipient_events_recipient rename to recipient_events_unpartitioned_recipient;
alter index recipient_events_type rename to recipient_events_unpartitioned_type;
alter index recipient_events_time rename to recipient_events_unpartitioned_time;
alter table recipient_events_unpartitioned rename constraint recipient_events_pkey to recipient_events_unpartitioned_pkey;
alter table recipient_events_unpartitioned rename constraint recipient_events_event_id_key to recipient_events_unpartitioned_event_id_key;

create table recipient_events (
    seq              bigint       not null default nextval('recipient_events_seq_seq'),
    event_id         uuid         not null,
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
    recorded_at      timestamptz  not null default now(),
    request          jsonb
) partition by range (occurred_at);
alter sequence recipient_events_seq_seq owned by recipient_events.seq;

-- The partition of one UTC day, made when first needed (the router asks before writing an event of a
-- day it has not seen, and the retention job makes the next days ahead). It is made apart and then
-- attached, which locks the table only against other schema changes, not against reads and writes.
create function recipient_events_partition(day date) returns text
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    name text := 'recipient_events_' || to_char(day, 'YYYYMMDD');
begin
    if to_regclass(name) is not null then
        return name;
    end if;
    perform pg_advisory_xact_lock(18, 0); -- one maker at a time
    if to_regclass(name) is not null then
        return name;
    end if;
    execute format('create table %I (like recipient_events including defaults including constraints)', name);
    execute format('alter table recipient_events attach partition %I for values from (%L) to (%L)', name,
        (day::timestamp at time zone 'UTC'), ((day + 1)::timestamp at time zone 'UTC'));
    -- statement triggers stay on the parent: a partition gets its own guard against truncation
    execute format('create trigger recipient_events_no_truncate before truncate on %I'
        ' for each statement execute function recipient_events_append_only()', name);
    return name;
end;
$$;

do $$
declare
    d date;
begin
    for d in select distinct (occurred_at at time zone 'UTC')::date from recipient_events_unpartitioned loop
        perform recipient_events_partition(d);
    end loop;
    perform recipient_events_partition((now() at time zone 'UTC')::date);
end;
$$;

insert into recipient_events select seq, event_id, event_type, lead_id, recipient_id, occurred_at, outcome, failure_category,
    failure_reason, duration_ms, price, event, recorded_at, request
from recipient_events_unpartitioned;

do $$
declare
    before bigint;
    after bigint;
begin
    select count(*) into before from recipient_events_unpartitioned;
    select count(*) into after from recipient_events;
    if before <> after then
        raise exception 'recipient_events: % events before partitioning, % after', before, after;
    end if;
end;
$$;

alter table recipient_events add primary key (seq, occurred_at);
alter table recipient_events add constraint recipient_events_event_id_key unique (event_id, occurred_at);
create index recipient_events_lead on recipient_events (lead_id, seq);
create index recipient_events_recipient on recipient_events (recipient_id, occurred_at);
create index recipient_events_type on recipient_events (event_type, occurred_at);
create index recipient_events_time on recipient_events (occurred_at, seq);

do $$
declare
    f record;
begin
    for f in select definition from row_type_functions loop
        execute f.definition;
    end loop;
end;
$$;

drop table recipient_events_unpartitioned;

-- the guards and the notes of V1, V2 and V9, now on the new table (after the copy: nothing is noted twice)
create trigger recipient_events_append_only
    before update or delete on recipient_events
    for each row execute function recipient_events_append_only();
create trigger recipient_events_no_truncate
    before truncate on recipient_events
    for each statement execute function recipient_events_append_only();
create trigger recipient_events_to_outbox
    after insert on recipient_events
    referencing new table as inserted
    for each statement execute function recipient_events_to_outbox();
create trigger recipient_events_to_analytics
    after insert on recipient_events
    referencing new table as inserted
    for each statement execute function analytics_queue_inserted();

-- Drops the days of events wholly before the day `keep_from`, each recorded in event_retention first.
-- Events of those days still waiting for the firehose or the rollups are let go with them. Answers the
-- days dropped and their events. Waits at most 5 s for the table's lock (an export reading it holds it
-- off): the job tries again at its next round.
create function event_retention_drop(keep_from date) returns table (dropped_day date, dropped_events bigint)
language plpgsql security definer set search_path = public, pg_temp set lock_timeout = '5s' as $$
declare
    p record;
    day_seqs int8multirange;
begin
    if not pg_try_advisory_xact_lock(19, 0) then
        return; -- another instance's job is at it
    end if;
    for p in
        select c.relname, to_date(right(c.relname, 8), 'YYYYMMDD') as day
        from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'recipient_events'::regclass
          and c.relname ~ '^recipient_events_[0-9]{8}$'
          and to_date(right(c.relname, 8), 'YYYYMMDD') < keep_from
        order by 2
    loop
        execute format('lock table %I in access exclusive mode', p.relname);
        execute format('select count(*), coalesce(range_agg(int8range(seq, seq, ''[]'')), ''{}'') from %I', p.relname)
            into dropped_events, day_seqs;
        insert into event_retention (day, events, seqs) values (p.day, dropped_events, day_seqs);
        delete from firehose_outbox where event_seq <@ day_seqs;
        delete from analytics_queue where seq <@ day_seqs;
        execute format('drop table %I', p.relname);
        dropped_day := p.day;
        return next;
    end loop;
end;
$$;

-- Leads whose events are gone, with their dead letters and their analytics offers: dead letters made
-- before `before` go (replayed or not: the events that explained them are gone); then the leads received
-- before it whose routing is over and that nothing still holds (a newer dead letter, a held lead). A lead
-- still being routed stays, whatever its age. Row deletes: these tables are small beside the events.
create function lead_retention(before timestamptz, out dead_letters_dropped bigint, out leads_dropped bigint)
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    delete from dead_letters where created_at < before;
    get diagnostics dead_letters_dropped = row_count;
    delete from held_leads h using leads l
    where h.lead_id = l.lead_id and h.released_at is not null and l.completed_at is not null and l.received_at < before;
    with gone as (
        delete from leads l
        where l.received_at < before and l.completed_at is not null
          and not exists (select 1 from dead_letters d where d.lead_id = l.lead_id)
          and not exists (select 1 from held_leads h where h.lead_id = l.lead_id)
        returning l.lead_id
    ), offers as (
        delete from analytics_offers o using gone where o.lead_id = gone.lead_id
    )
    select count(*) into leads_dropped from gone;
end;
$$;

-- The analytics rollups before `before` (they are kept far longer than the events: long-range analytics
-- need only them), and the offers that ended before it (the ones of leads dropped went with them).
-- Answers the rows dropped.
create function analytics_retention(before timestamptz) returns bigint
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    rollup text[];
    dropped bigint := 0;
    n bigint;
begin
    foreach rollup slice 1 in array array[['analytics_rollup', 'bucket'], ['analytics_reasons', 'bucket'],
            ['analytics_delivered_at', 'bucket'], ['analytics_sketch_days', 'day'], ['analytics_failure_days', 'day'],
            ['analytics_reason_days', 'day']] loop
        execute format('delete from %I where %I < $1', rollup[1], rollup[2]) using before;
        get diagnostics n = row_count;
        dropped := dropped + n;
    end loop;
    delete from analytics_offers where final_at < before and (returned_at is null or returned_at < before);
    get diagnostics n = row_count;
    return dropped + n;
end;
$$;
