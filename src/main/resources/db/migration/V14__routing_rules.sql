-- The routing rules of buyer files (accept_if, caps, dedupe, schedule; see io.leadrouter.routing.BuyerRules).

-- Why a buyer was not offered a lead (or not yet), written when its rule said no, for GET /leads/{lead_id}:
--   filtered       its accept_if refused the lead        cap_reached   a cap or budget of the period is used up
--   duplicate      its consumer was sold to the buyer    suppressed    its consumer is on the buyer's suppression list
--   outside_hours  the buyer was closed (skip)           held_for_hours  closed, the lead waits for it (hold)
--   hold_expired   held longer than max_hold_minutes     gone          the buyer answered 410 Gone (until its file changes)
create table routing_decisions (
    lead_id      text        not null,
    recipient_id text        not null,
    decided_at   timestamptz not null default clock_timestamp(),
    decision     text        not null check (decision in ('filtered', 'cap_reached', 'duplicate', 'suppressed',
                                                          'outside_hours', 'held_for_hours', 'hold_expired', 'gone')),
    rule         text        not null,
    detail       text        not null
);
create index routing_decisions_lead on routing_decisions (lead_id);

-- Caps: what a buyer bought per period of its time zone (hour, day, week, month), counted by one
-- conditional upsert per period, so that instances sharing the database never pass a cap.
create table cap_usage (
    recipient_id text        not null,
    period       text        not null check (period in ('hour', 'day', 'week', 'month')),
    period_start timestamptz not null,
    leads        integer     not null check (leads >= 0),
    amount       numeric     not null check (amount >= 0),
    primary key (recipient_id, period, period_start)
);

-- One reserved slot per offer, to give back if the buyer does not buy (or if the instance that
-- reserved it is gone before its buyer answered); sold_at set once the buyer bought the lead.
create table cap_reservations (
    recipient_id  text          not null,
    lead_id       text          not null,
    reserved_at   timestamptz   not null default clock_timestamp(),
    reserved_by   text          not null,
    price         numeric       not null,
    periods       text[]        not null,
    period_starts timestamptz[] not null,
    sold_at       timestamptz,
    primary key (recipient_id, lead_id)
);
create index cap_reservations_unsold on cap_reservations (reserved_by) where sold_at is null;

-- De-duplication: a consumer (SHA-256 of one normalised identifying field) sold to a buyer, or being
-- offered to it now (sold_at null). The primary key is what stops two equal leads at once.
create table consumer_claims (
    recipient_id text        not null,
    identity     bytea       not null,
    lead_id      text        not null,
    claimed_at   timestamptz not null default clock_timestamp(),
    claimed_by   text        not null,
    sold_at      timestamptz,
    primary key (recipient_id, identity)
);
create index consumer_claims_lead on consumer_claims (recipient_id, lead_id);
create index consumer_claims_unsold on consumer_claims (claimed_by) where sold_at is null;

-- A buyer's suppression list, as hashes only (the same as consumer_claims.identity): added through the
-- API (source 'api'), or the buyer's file in the suppressions folder (source 'file', kept equal to the file).
create table buyer_suppressions (
    recipient_id text        not null,
    identity     bytea       not null,
    added_at     timestamptz not null default clock_timestamp(),
    source       text        not null check (source in ('api', 'file')),
    primary key (recipient_id, identity)
);
-- which buyers have a list from a file, read a buyer at a time (see SuppressionLists.buyersWithLists)
create index buyer_suppressions_from_files on buyer_suppressions (recipient_id) where source = 'file';

-- An offer's reservation in one call, so that the rows every offer to a buyer shares (its cap_usage
-- rows) are locked for the statement only, not for the round trips of a transaction (the benchmark saw
-- a capped buyer's offers queue on those locks). All or nothing: the buyer's suppression list checked
-- (given the lead's e-mail and phone hashes), each consumer identity claimed (sorted by the caller, so
-- offers lock claims in one order), then one slot in each capped period (hour, day, week, month: one
-- order too). Answers null when reserved, or what said no: 'suppressed', 'duplicate:<n>' (the n-th
-- identity, from 1), 'cap:<period>'; a refusal leaves nothing behind. Each period's caps are given as
-- the most leads and the most money (null: none); the caller refuses outright a cap the first lead of a
-- period would pass (0 leads, a price above the budget), which the first insert does not check.
create function offer_reserve(p_recipient text, p_lead text, p_instance text, p_price numeric,
                              p_suppressed bytea[], p_identities bytea[], p_window_days int,
                              p_periods text[], p_starts timestamptz[], p_most_leads int[], p_most_amount numeric[])
returns text
language plpgsql as $$
declare
    i int;
    fresh boolean;
begin
    if p_suppressed is not null and exists (select 1 from buyer_suppressions
                                            where recipient_id = p_recipient and identity = any(p_suppressed)) then
        return 'suppressed';
    end if;
    begin
        for i in 1 .. coalesce(array_length(p_identities, 1), 0) loop
            insert into consumer_claims (recipient_id, identity, lead_id, claimed_by) values (p_recipient, p_identities[i], p_lead, p_instance)
            on conflict (recipient_id, identity) do update
                set lead_id = excluded.lead_id, claimed_at = clock_timestamp(), claimed_by = excluded.claimed_by, sold_at = null
                where (consumer_claims.lead_id = excluded.lead_id and consumer_claims.sold_at is null)
                   or consumer_claims.sold_at < clock_timestamp() - make_interval(days => p_window_days);
            if not found then
                raise exception using errcode = 'LR001', message = 'duplicate:' || i;
            end if;
        end loop;
        if coalesce(array_length(p_periods, 1), 0) > 0 then
            insert into cap_reservations (recipient_id, lead_id, reserved_by, price, periods, period_starts)
            values (p_recipient, p_lead, p_instance, p_price, p_periods, p_starts)
            on conflict (recipient_id, lead_id) do update set reserved_by = excluded.reserved_by
            returning xmax = 0 into fresh;
            -- reserved before (a lead walked again): its slot stands
            if fresh then
                for i in 1 .. array_length(p_periods, 1) loop
                    insert into cap_usage (recipient_id, period, period_start, leads, amount)
                    values (p_recipient, p_periods[i], p_starts[i], 1, p_price)
                    on conflict (recipient_id, period, period_start) do update
                        set leads = cap_usage.leads + 1, amount = cap_usage.amount + excluded.amount
                        where cap_usage.leads < coalesce(p_most_leads[i], 2147483647)
                          and cap_usage.amount + excluded.amount <= coalesce(p_most_amount[i], 1e30);
                    if not found then
                        raise exception using errcode = 'LR001', message = 'cap:' || p_periods[i];
                    end if;
                end loop;
            end if;
        end if;
    exception when sqlstate 'LR001' then
        return sqlerrm; -- the block's claims and slots are undone
    end;
    return null;
end;
$$;

-- Gives an offer's reservation back (the buyer did not buy) in one call, for the same reason: the lead's
-- consumer claims, then its slot, each capped period counting one lead and one price less. With an
-- owner, only what that instance still holds (another may have taken the lead over).
create function offer_release(p_recipient text, p_lead text, p_owner text)
returns void
language plpgsql as $$
declare
    slot record;
begin
    delete from consumer_claims where recipient_id = p_recipient and lead_id = p_lead and sold_at is null
        and (p_owner is null or claimed_by = p_owner);
    delete from cap_reservations where recipient_id = p_recipient and lead_id = p_lead and sold_at is null
        and (p_owner is null or reserved_by = p_owner)
    returning price, periods, period_starts into slot;
    if found then
        update cap_usage u set leads = greatest(u.leads - 1, 0), amount = greatest(u.amount - slot.price, 0)
        from unnest(slot.periods, slot.period_starts) as p(period, period_start)
        where u.recipient_id = p_recipient and u.period = p.period and u.period_start = p.period_start;
    end if;
end;
$$;

-- A lead is held for a buyer by its circuit (open or paused) or by its schedule (closed, outside_hours: hold).
alter table held_leads add column held_for text not null default 'circuit' check (held_for in ('circuit', 'schedule'));

-- As V13's, and the routing decisions of the leads dropped go with them; sold cap reservations older than
-- `before` are no longer needed (a period is at most a month; unsold ones are given back, never dropped here).
create or replace function lead_retention(before timestamptz, out dead_letters_dropped bigint, out leads_dropped bigint)
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
    ), decisions as (
        delete from routing_decisions d using gone where d.lead_id = gone.lead_id
    )
    select count(*) into leads_dropped from gone;
    delete from cap_reservations where sold_at < before;
    delete from cap_usage u where u.period_start < before - interval '32 days';
end;
$$;
