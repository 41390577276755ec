-- Circuit breakers per buyer and the leads they hold (see io.leadrouter.circuit.BuyerCircuits).
-- One row per buyer whose circuit ever changed; the state is shared by every router instance.
--   closed:  calls go out
--   open:    calls stop, leads are held; probe_at is when one held lead is tried
--   probing: one instance (probe_by) is trying one held lead
--   paused:  held by an operator (POST /buyers/{id}/pause) until resumed; no probes
create table buyer_circuits (
    recipient_id     text        primary key,
    state            text        not null check (state in ('closed', 'open', 'probing', 'paused')),
    changed_at       timestamptz not null default now(),
    opened_at        timestamptz,
    cool_down_ms     bigint      not null,
    probe_at         timestamptz,
    probe_by         text,
    reason           text        not null
);

-- A lead held for one buyer: not attempted, not dead-lettered. Released in the order held
-- (held_at, then lead id) once the circuit closes; released_by is the instance delivering it,
-- and the row goes when that buyer is done with the lead.
create table held_leads (
    recipient_id text        not null,
    lead_id      text        not null references leads (lead_id),
    held_at      timestamptz not null default clock_timestamp(),
    released_at  timestamptz,
    released_by  text,
    primary key (recipient_id, lead_id)
);
create index held_leads_waiting on held_leads (recipient_id, held_at, lead_id) where released_at is null;
create index held_leads_released on held_leads (released_by) where released_at is not null;
