-- Failures per UTC day, buyer and reason, as the day's 96 quarter-hour counts (issue 15): GET /analytics/failures
-- reads a month of them in about 4,000 rows (20 buyers, 7 reasons) instead of 350,000 quarter-hour rows of
-- analytics_reasons, and works out the local hour and weekday of each quarter hour itself (any zone, :30 and :45
-- ones too). analytics_reasons keeps its failures per quarter hour for SQL by hand. The counts are packed in
-- bytea, not int[]: a month's int[] took the server 26 ms to write out as text, bytea goes as it is.
create table analytics_failure_days (
    day           timestamptz not null,
    recipient_id  text        not null,
    category      text        not null,
    reason        text        not null,
    -- 96 counts of 4 bytes, big-endian (int4send): the failures in each quarter hour of the day from 00:00 UTC
    quarters      bytea       not null check (length(quarters) = 384),
    primary key (day, recipient_id, category, reason)
);

-- The 96 counts of a day from sparse (quarter hour 1..96, count) pairs.
create function analytics_quarter_counts(quarters int[], counts int[]) returns bytea language sql immutable parallel safe as $$
    select string_agg(int4send(coalesce(c.n, 0)), ''::bytea order by i)
    from generate_series(1, 96) as i
    left join unnest(quarters, counts) as c(at, n) on c.at = i
$$;

-- The count of quarter hour i (0..95).
create function analytics_quarter_count(counts bytea, i int) returns int language sql immutable parallel safe as $$
    select (get_byte(counts, 4 * i) << 24) | (get_byte(counts, 4 * i + 1) << 16) | (get_byte(counts, 4 * i + 2) << 8)
        | get_byte(counts, 4 * i + 3)
$$;

-- Two days' counts added quarter hour by quarter hour.
create function analytics_quarter_counts_add(a bytea, b bytea) returns bytea language sql immutable parallel safe as $$
    select string_agg(int4send(analytics_quarter_count(a, i) + analytics_quarter_count(b, i)), ''::bytea order by i)
    from generate_series(0, 95) as i
$$;

-- A batch's failures per UTC day, buyer, reason and quarter hour of the day.
create function analytics_record_failure_days(batch recipient_events[]) returns void
language sql security definer set search_path = public, pg_temp as $$
    with counts as (
        select to_timestamp(floor(extract(epoch from e.occurred_at) / 86400) * 86400) as day, e.recipient_id,
            e.failure_category as category, e.failure_reason as reason,
            (floor(extract(epoch from e.occurred_at) / 900)::bigint % 96)::int + 1 as quarter, count(*)::int as n
        from unnest(batch) e
        where e.event_type = 'recipient.failed' and e.recipient_id is not null
            and e.failure_category is not null and e.failure_reason is not null
        group by 1, 2, 3, 4, 5
    )
    insert into analytics_failure_days as d
    select day, recipient_id, category, reason, analytics_quarter_counts(array_agg(quarter), array_agg(n))
    from counts
    group by 1, 2, 3, 4
    order by 1, 2, 3, 4
    on conflict (day, recipient_id, category, reason) do update set quarters = analytics_quarter_counts_add(d.quarters, excluded.quarters)
$$;

-- analytics_record (V9) now writes the day counts too, after the other rollups: the tables stay in one order.
alter function analytics_record(recipient_events[]) rename to analytics_record_rollups;
create function analytics_record(batch recipient_events[]) returns void
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    perform analytics_record_rollups(batch);
    perform analytics_record_failure_days(batch);
end;
$$;

-- The rollups' existing failures, in days.
insert into analytics_failure_days (day, recipient_id, category, reason, quarters)
select to_timestamp(floor(extract(epoch from bucket) / 86400) * 86400), recipient_id, category, reason,
    analytics_quarter_counts(array_agg((floor(extract(epoch from bucket) / 900)::bigint % 96)::int + 1), array_agg(failures::int))
from analytics_reasons
where failures <> 0
group by 1, 2, 3, 4;

-- Retries per UTC day, buyer and reason: analytics_reasons' retried and recovered added up by day, kept by triggers
-- on it, so that GET /analytics/retries adds up a month in about 4,000 rows plus the quarter hours of its partial
-- days (352,577 quarter-hour rows took 130 ms to group).
create table analytics_reason_days (
    day           timestamptz not null,
    recipient_id  text        not null,
    category      text        not null,
    reason        text        not null,
    retried       bigint      not null default 0,
    recovered     bigint      not null default 0,
    primary key (day, recipient_id, category, reason)
);

create function analytics_reasons_inserted() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    insert into analytics_reason_days as d
    select to_timestamp(floor(extract(epoch from bucket) / 86400) * 86400), recipient_id, category, reason, sum(retried), sum(recovered)
    from inserted
    group by 1, 2, 3, 4
    having sum(retried) <> 0 or sum(recovered) <> 0
    order by 1, 2, 3, 4
    on conflict (day, recipient_id, category, reason) do update set
        retried = d.retried + excluded.retried, recovered = d.recovered + excluded.recovered;
    return null;
end;
$$;
create trigger analytics_reasons_to_days_inserted
    after insert on analytics_reasons
    referencing new table as inserted
    for each statement execute function analytics_reasons_inserted();

create function analytics_reasons_updated() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    insert into analytics_reason_days as d
    select to_timestamp(floor(extract(epoch from n.bucket) / 86400) * 86400), n.recipient_id, n.category, n.reason,
        sum(n.retried - o.retried), sum(n.recovered - o.recovered)
    from updated_new n join updated_old o using (bucket, recipient_id, category, reason)
    group by 1, 2, 3, 4
    having sum(n.retried - o.retried) <> 0 or sum(n.recovered - o.recovered) <> 0
    order by 1, 2, 3, 4
    on conflict (day, recipient_id, category, reason) do update set
        retried = d.retried + excluded.retried, recovered = d.recovered + excluded.recovered;
    return null;
end;
$$;
create trigger analytics_reasons_to_days_updated
    after update on analytics_reasons
    referencing old table as updated_old new table as updated_new
    for each statement execute function analytics_reasons_updated();

insert into analytics_reason_days (day, recipient_id, category, reason, retried, recovered)
select to_timestamp(floor(extract(epoch from bucket) / 86400) * 86400), recipient_id, category, reason, sum(retried), sum(recovered)
from analytics_reasons
group by 1, 2, 3, 4
having sum(retried) <> 0 or sum(recovered) <> 0;

-- The backfill empties the new table too (otherwise as in V9).
create or replace function analytics_backfill() returns bigint
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    low bigint := 0;
    high bigint;
    read bigint := 0;
    chunk recipient_events[];
begin
    lock table recipient_events in share mode;
    perform pg_advisory_xact_lock(16, 0); -- no drain meanwhile
    delete from analytics_queue;
    delete from analytics_gaps;
    delete from analytics_offers;
    delete from analytics_rollup;
    delete from analytics_reasons;
    delete from analytics_delivered_at;
    delete from analytics_sketch_days;
    delete from analytics_failure_days;
    delete from analytics_reason_days;
    select coalesce(max(seq), 0) into high from recipient_events;
    while low < high loop
        chunk := array(select e from recipient_events e where e.seq > low and e.seq <= low + 20000 order by e.seq);
        perform analytics_record(chunk);
        read := read + coalesce(array_length(chunk, 1), 0);
        low := low + 20000;
    end loop;
    return read;
end;
$$;
