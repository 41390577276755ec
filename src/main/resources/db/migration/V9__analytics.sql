-- The analytics rollups (issue 15; definitions in the README's "Analytics"): kept by the database from
-- the events as they are written (through analytics_queue, a moment later), so they are exact. Counters are per
-- quarter hour (UTC-aligned quarter hours fall within one local hour in every time zone) and buyer; a
-- query adds up the rows of its range. analytics_backfill() rebuilds them all from the events.

-- The quarter hour an instant falls in.
create function analytics_bucket(at timestamptz) returns timestamptz language sql immutable parallel safe as $$
    select to_timestamp(floor(extract(epoch from at) / 900) * 900)
$$;

-- A JSON value as a number, or null when it is not one (a cast must never fail a batch of events).
create function analytics_number(value jsonb) returns numeric language sql immutable parallel safe as $$
    select case when jsonb_typeof(value) = 'number' then value::text::numeric end
$$;

-- Whether the event ends the lead's delivery to this buyer: delivered, refused, or the last attempt of
-- a technical failure. Events say so themselves (metadata.final); older ones are judged by their attempt numbers.
create function analytics_is_final(e recipient_events) returns boolean language sql immutable parallel safe as $$
    select case e.event_type
        when 'recipient.delivered' then true
        when 'recipient.failed' then coalesce(
            case when jsonb_typeof(e.event -> 'metadata' -> 'final') = 'boolean' then (e.event -> 'metadata' ->> 'final')::boolean end,
            e.failure_category is distinct from 'technical'
                or analytics_number(e.event -> 'metadata' -> 'attempt_number') >= analytics_number(e.event -> 'metadata' -> 'total_attempts'),
            true)
        else false end
$$;

-- Whether the event's duration is a response time: the attempt reached the buyer (it answered) or timed out.
create function analytics_is_timed(e recipient_events) returns boolean language sql immutable parallel safe as $$
    select coalesce(e.duration_ms is not null and (e.event_type = 'recipient.delivered'
        or (e.event_type = 'recipient.failed'
            and (jsonb_typeof(e.event -> 'response' -> 'status_code') = 'number' or e.failure_reason = 'Timeout'))), false)
$$;

-- Response times as a sketch: element i counts the durations in bin i, bin 1 = [0, 1] ms and bin k
-- (k > 1) = (1.1^(k-2), 1.1^(k-1)] ms: any quantile within 5 % of its true value, and sketches add up.
create function analytics_sketch_bin(ms numeric) returns int language sql immutable parallel safe as $$
    select case when ms <= 1 then 1 else least(ceil(ln(ms) / ln(1.1))::int + 1, 400) end
$$;
create function analytics_sketch_add(a int[], b int[]) returns int[] language sql immutable parallel safe as $$
    select coalesce(array_agg(coalesce(a[i], 0) + coalesce(b[i], 0) order by i), '{}')
    from generate_series(1, greatest(coalesce(array_length(a, 1), 0), coalesce(array_length(b, 1), 0))) as i
$$;

-- The sketches of a batch's response times, per step (seconds: 900 a quarter hour, 86400 a UTC day) and
-- buyer: the durations counted per bin first, so each array is built once, not once per event.
create function analytics_batch_sketches(batch recipient_events[], step_seconds int)
returns table (step_start timestamptz, buyer text, sketch int[]) language sql stable as $$
    with bins as (
        select to_timestamp(floor(extract(epoch from e.occurred_at) / step_seconds) * step_seconds) as at, e.recipient_id as id,
            analytics_sketch_bin(e.duration_ms) as bin, count(*)::int as n
        from unnest(batch) e
        where e.recipient_id is not null and analytics_is_timed(e)
        group by 1, 2, 3
    )
    select top.at, top.id, array_agg(coalesce(b.n, 0) order by i)
    from (select at, id, max(bin) as bins from bins group by at, id) top
    cross join lateral generate_series(1, top.bins) as i
    left join bins b on b.at = top.at and b.id = top.id and b.bin = i
    group by top.at, top.id
$$;

-- One row per (lead, buyer) pair whose delivery ended, or that had feedback: how it ended (the latest
-- end counts, e.g. after a dead letter's replay), which failures were retried before it, its feedback.
create table analytics_offers (
    lead_id          text        not null,
    recipient_id     text        not null,
    outcome          text,                -- delivered, refused, dead_lettered; null: not ended (feedback only)
    final_seq        bigint,
    final_at         timestamptz,
    attempt_number   int,
    price            numeric(12, 2),      -- of a delivered offer
    retried_reasons  text[]      not null default '{}', -- 'category|reason' of the failures before its end (a retry followed each)
    feedback_events  int         not null default 0,
    returned         numeric(12, 2),      -- the credit of its accepted return, null for none
    returned_at      timestamptz,         -- when that return was accepted
    primary key (lead_id, recipient_id)
);
create index analytics_offers_final on analytics_offers (recipient_id, final_at);
-- a buyer's returns in a month (feedback.max_return_rate)
create index analytics_offers_returned on analytics_offers (recipient_id, returned_at) where returned_at is not null;

-- Per quarter hour and buyer. Offers, their outcomes, revenue, feedback and returns count at the offer's
-- end; attempts, failures and response times at their event.
create table analytics_rollup (
    bucket         timestamptz    not null,
    recipient_id   text           not null,
    attempts       bigint         not null default 0,
    failures       bigint         not null default 0,
    offers         bigint         not null default 0,
    delivered      bigint         not null default 0,
    refused        bigint         not null default 0,
    dead_lettered  bigint         not null default 0,
    revenue        numeric(16, 2) not null default 0,
    with_feedback  bigint         not null default 0,
    returns        bigint         not null default 0,
    returned       numeric(16, 2) not null default 0,
    rt_count       bigint         not null default 0,
    rt_sum_ms      bigint         not null default 0,
    rt_fast        bigint         not null default 0,
    rt_normal      bigint         not null default 0,
    rt_slow        bigint         not null default 0,
    rt_very_slow   bigint         not null default 0,
    rt_sketch      int[]          not null default '{}',
    primary key (bucket, recipient_id)
);

-- Per quarter hour, buyer and failure reason: failed attempts (at their event), and offers ended in the
-- quarter hour that had a retry after this reason, and of those the ones then delivered.
create table analytics_reasons (
    bucket        timestamptz not null,
    recipient_id  text        not null,
    category      text        not null,
    reason        text        not null,
    failures      bigint      not null default 0,
    retried       bigint      not null default 0,
    recovered     bigint      not null default 0,
    primary key (bucket, recipient_id, category, reason)
);

-- Per quarter hour, buyer and attempt number: offers delivered at that attempt.
create table analytics_delivered_at (
    bucket        timestamptz not null,
    recipient_id  text        not null,
    attempt       int         not null,
    delivered     bigint      not null default 0,
    primary key (bucket, recipient_id, attempt)
);

-- Per UTC day and buyer, the response-time sketch again: a month's percentiles add up 30 of these
-- (and the quarter hours of its partial days), not 2,880 quarter hours' sketches.
create table analytics_sketch_days (
    day           timestamptz not null,
    recipient_id  text        not null,
    rt_sketch     int[]       not null,
    primary key (day, recipient_id)
);

-- What an offers row adds to the rollups (sign -1 takes it back).
create type analytics_offer_change as (old analytics_offers, new analytics_offers);

-- Adds a batch of events to the rollups. Each table is written by one statement, its rows in key order,
-- and the tables always in the same order, so two writers' batches never deadlock.
create function analytics_record(batch recipient_events[]) returns void
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    changes analytics_offer_change[];
begin
    -- the pairs whose delivery ended in this batch (the latest end of each) or that had feedback
    with finals as (
        select distinct on (e.lead_id, e.recipient_id) e.lead_id, e.recipient_id, e.seq, e.occurred_at,
            case when e.event_type = 'recipient.delivered' then 'delivered'
                 when e.failure_category in ('business', 'authentication') then 'refused'
                 else 'dead_lettered' end as outcome,
            least(greatest(analytics_number(e.event -> 'metadata' -> 'attempt_number'), 0), 2147483647)::int as attempt_number,
            case when e.event_type = 'recipient.delivered' then e.price end as price,
            coalesce((select array_agg(distinct x.failure_category || '|' || x.failure_reason order by x.failure_category || '|' || x.failure_reason)
                      from recipient_events x
                      where x.lead_id = e.lead_id and x.recipient_id = e.recipient_id and x.seq < e.seq
                        and x.event_type = 'recipient.failed' and x.failure_reason is not null),
                     '{}') as retried_reasons
        from unnest(batch) e
        where e.recipient_id is not null and analytics_is_final(e)
        order by e.lead_id, e.recipient_id, e.seq desc
    ), feedback as (
        select e.lead_id, e.recipient_id, count(*)::int as events,
            -- the accepted return's credit: its amount, else the delivered price
            max(coalesce(analytics_number(e.event -> 'feedback' -> 'amount'), -1)) filter (
                where e.event -> 'feedback' ->> 'type' = 'return' and e.event -> 'feedback' -> 'accepted' = 'true'::jsonb) as credit,
            max(e.occurred_at) filter (
                where e.event -> 'feedback' ->> 'type' = 'return' and e.event -> 'feedback' -> 'accepted' = 'true'::jsonb) as returned_at
        from unnest(batch) e
        where e.event_type = 'recipient.feedback' and e.recipient_id is not null
        group by e.lead_id, e.recipient_id
    ), touched as (
        select coalesce(f.lead_id, b.lead_id) as lead_id, coalesce(f.recipient_id, b.recipient_id) as recipient_id,
            f.seq, f.occurred_at, f.outcome, f.attempt_number, f.price, f.retried_reasons, b.events, b.credit, b.returned_at
        from finals f full join feedback b on b.lead_id = f.lead_id and b.recipient_id = f.recipient_id
    )
    select array_agg(row(o, n)::analytics_offer_change order by t.lead_id, t.recipient_id) into changes
    from touched t
    left join analytics_offers o on o.lead_id = t.lead_id and o.recipient_id = t.recipient_id
    cross join lateral (select row(
        t.lead_id, t.recipient_id,
        case when t.seq is null then o.outcome else t.outcome end,
        case when t.seq is null then o.final_seq else t.seq end,
        case when t.seq is null then o.final_at else t.occurred_at end,
        case when t.seq is null then o.attempt_number else t.attempt_number end,
        case when t.seq is null then o.price else t.price end,
        case when t.seq is null then coalesce(o.retried_reasons, '{}') else t.retried_reasons end,
        coalesce(o.feedback_events, 0) + coalesce(t.events, 0),
        coalesce(o.returned, case when t.credit = -1 then case when t.seq is null then o.price else t.price end
                                  when t.credit >= 0 then t.credit end),
        case when o.returned is not null then o.returned_at else t.returned_at end
        )::analytics_offers as n) as nn;

    if changes is not null then
        insert into analytics_offers as o
        select (c.new).* from unnest(changes) c order by (c.new).lead_id, (c.new).recipient_id
        on conflict (lead_id, recipient_id) do update set
            outcome = excluded.outcome, final_seq = excluded.final_seq, final_at = excluded.final_at,
            attempt_number = excluded.attempt_number, price = excluded.price, retried_reasons = excluded.retried_reasons,
            feedback_events = excluded.feedback_events, returned = excluded.returned, returned_at = excluded.returned_at;
    end if;

    with offer_rows as (
        select (c.new).*, 1 as sign from unnest(changes) c
        union all
        select (c.old).*, -1 from unnest(changes) c where (c.old).lead_id is not null
    ), deltas as (
        select analytics_bucket(e.occurred_at) as bucket, e.recipient_id,
            (e.event_type = 'recipient.delivery_attempt')::int as attempts,
            (e.event_type = 'recipient.failed')::int as failures,
            0 as offers, 0 as delivered, 0 as refused, 0 as dead_lettered, 0::numeric as revenue,
            0 as with_feedback, 0 as returns, 0::numeric as returned,
            t.timed::int as rt_count, case when t.timed then e.duration_ms else 0 end as rt_sum_ms,
            (t.timed and e.duration_ms < 500)::int as rt_fast,
            (t.timed and e.duration_ms >= 500 and e.duration_ms < 2000)::int as rt_normal,
            (t.timed and e.duration_ms >= 2000 and e.duration_ms <= 5000)::int as rt_slow,
            (t.timed and e.duration_ms > 5000)::int as rt_very_slow
        from unnest(batch) e cross join lateral (select analytics_is_timed(e) as timed) t
        where e.recipient_id is not null
            and e.event_type in ('recipient.delivery_attempt', 'recipient.delivered', 'recipient.failed')
        union all
        select analytics_bucket(r.final_at), r.recipient_id, 0, 0,
            r.sign, r.sign * (r.outcome = 'delivered')::int, r.sign * (r.outcome = 'refused')::int,
            r.sign * (r.outcome = 'dead_lettered')::int,
            case when r.outcome = 'delivered' then r.sign * coalesce(r.price, 0) else 0 end,
            r.sign * (r.outcome = 'delivered' and r.feedback_events > 0)::int,
            r.sign * (r.outcome = 'delivered' and r.returned is not null)::int,
            case when r.outcome = 'delivered' then r.sign * coalesce(r.returned, 0) else 0 end,
            0, 0, 0, 0, 0, 0
        from offer_rows r
        where r.outcome is not null
    ), sketches as (
        select step_start as bucket, buyer as recipient_id, sketch from analytics_batch_sketches(batch, 900)
    ), sums as (
        select bucket, recipient_id, sum(attempts) as attempts, sum(failures) as failures, sum(offers) as offers,
            sum(delivered) as delivered, sum(refused) as refused, sum(dead_lettered) as dead_lettered, sum(revenue) as revenue,
            sum(with_feedback) as with_feedback, sum(returns) as returns, sum(returned) as returned, sum(rt_count) as rt_count,
            sum(rt_sum_ms) as rt_sum_ms, sum(rt_fast) as rt_fast, sum(rt_normal) as rt_normal, sum(rt_slow) as rt_slow,
            sum(rt_very_slow) as rt_very_slow
        from deltas
        group by bucket, recipient_id
    )
    insert into analytics_rollup as r
    select s.*, coalesce(k.sketch, '{}')
    from sums s left join sketches k on k.bucket = s.bucket and k.recipient_id = s.recipient_id
    order by s.bucket, s.recipient_id
    on conflict (bucket, recipient_id) do update set
        attempts = r.attempts + excluded.attempts, failures = r.failures + excluded.failures,
        offers = r.offers + excluded.offers, delivered = r.delivered + excluded.delivered,
        refused = r.refused + excluded.refused, dead_lettered = r.dead_lettered + excluded.dead_lettered,
        revenue = r.revenue + excluded.revenue, with_feedback = r.with_feedback + excluded.with_feedback,
        returns = r.returns + excluded.returns, returned = r.returned + excluded.returned,
        rt_count = r.rt_count + excluded.rt_count, rt_sum_ms = r.rt_sum_ms + excluded.rt_sum_ms,
        rt_fast = r.rt_fast + excluded.rt_fast, rt_normal = r.rt_normal + excluded.rt_normal,
        rt_slow = r.rt_slow + excluded.rt_slow, rt_very_slow = r.rt_very_slow + excluded.rt_very_slow,
        rt_sketch = case when excluded.rt_sketch = '{}' then r.rt_sketch else analytics_sketch_add(r.rt_sketch, excluded.rt_sketch) end;

    with offer_rows as (
        select (c.new).*, 1 as sign from unnest(changes) c
        union all
        select (c.old).*, -1 from unnest(changes) c where (c.old).lead_id is not null
    ), deltas as (
        select analytics_bucket(e.occurred_at) as bucket, e.recipient_id, e.failure_category as category,
            e.failure_reason as reason, 1 as failures, 0 as retried, 0 as recovered
        from unnest(batch) e
        where e.event_type = 'recipient.failed' and e.recipient_id is not null
            and e.failure_category is not null and e.failure_reason is not null
        union all
        select analytics_bucket(r.final_at), r.recipient_id, split_part(k, '|', 1), substr(k, length(split_part(k, '|', 1)) + 2),
            0, r.sign, r.sign * (r.outcome = 'delivered')::int
        from offer_rows r cross join unnest(r.retried_reasons) as k
        where r.outcome is not null
    )
    insert into analytics_reasons as r
    select bucket, recipient_id, category, reason, sum(failures), sum(retried), sum(recovered)
    from deltas
    group by bucket, recipient_id, category, reason
    order by bucket, recipient_id, category, reason
    on conflict (bucket, recipient_id, category, reason) do update set
        failures = r.failures + excluded.failures, retried = r.retried + excluded.retried,
        recovered = r.recovered + excluded.recovered;

    if changes is not null then
        with offer_rows as (
            select (c.new).*, 1 as sign from unnest(changes) c
            union all
            select (c.old).*, -1 from unnest(changes) c where (c.old).lead_id is not null
        )
        insert into analytics_delivered_at as d
        select analytics_bucket(r.final_at), r.recipient_id, r.attempt_number, sum(r.sign)
        from offer_rows r
        where r.outcome = 'delivered' and r.attempt_number is not null
        group by 1, 2, 3
        order by 1, 2, 3
        on conflict (bucket, recipient_id, attempt) do update set delivered = d.delivered + excluded.delivered;
    end if;

    insert into analytics_sketch_days as d
    select step_start, buyer, sketch from analytics_batch_sketches(batch, 86400) order by 1, 2
    on conflict (day, recipient_id) do update set rt_sketch = analytics_sketch_add(d.rt_sketch, excluded.rt_sketch);
end;
$$;

-- Events the rollups could not take (a fault in the SQL above): the events are stored all the same, the
-- analytics answers say the rollups are incomplete, and a backfill clears this.
create table analytics_gaps (
    first_seq   bigint      not null,
    last_seq    bigint      not null,
    events      int         not null,
    problem     text        not null,
    noticed_at  timestamptz not null default now()
);

-- Events not yet in the rollups. The events' own transaction only notes their seq here (as it does for
-- the firehose): adding to the rollups there would make every batch of events wait on the same hot rows.
-- The router drains the queue (analytics_drain, one instance at a time) a moment later, in seq order.
create table analytics_queue (
    seq bigint primary key
);

create function analytics_queue_inserted() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
    insert into analytics_queue (seq) select seq from inserted;
    return null;
end;
$$;
create trigger recipient_events_to_analytics
    after insert on recipient_events
    referencing new table as inserted
    for each statement execute function analytics_queue_inserted();

-- Adds up to max_events queued events to the rollups, the oldest first, and takes them off the queue, in
-- one transaction: each event is counted once. Answers how many it took (0 when another drain is under way).
-- A fault in the rollups' SQL never keeps events queued for ever: they are noted in analytics_gaps.
create function analytics_drain(max_events int) returns int
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    batch recipient_events[];
begin
    if not pg_try_advisory_xact_lock(16, 0) then
        return 0;
    end if;
    with taken as (
        delete from analytics_queue where seq in (select seq from analytics_queue order by seq limit max_events)
        returning seq
    )
    select array(select e from recipient_events e where e.seq in (select seq from taken) order by e.seq) into batch;
    if coalesce(array_length(batch, 1), 0) = 0 then
        return 0;
    end if;
    begin
        perform analytics_record(batch);
    exception when others then
        insert into analytics_gaps (first_seq, last_seq, events, problem)
        values (batch[1].seq, batch[array_length(batch, 1)].seq, array_length(batch, 1), sqlstate || ': ' || sqlerrm);
        raise warning 'analytics rollups skipped events % to %: %', batch[1].seq, batch[array_length(batch, 1)].seq, sqlerrm;
    end;
    return array_length(batch, 1);
end;
$$;

-- Rebuilds the rollups from the events (an existing table, or after retention), in one transaction
-- that holds back new events meanwhile; returns how many events it read.
create function analytics_backfill() returns bigint
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
