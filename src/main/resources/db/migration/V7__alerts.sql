-- The spec's alerts, per buyer (see io.leadrouter.monitoring.AlertEvaluation): raised once, resolved
-- once. An alert is open while resolved_at is null; at most one open alert of a kind per buyer, which
-- the database itself holds to, so a restart or a second instance cannot raise it twice.
create table alerts (
    id           bigserial        primary key,
    alert        text             not null,
    recipient_id text             not null,
    raised_at    timestamptz      not null default now(),
    resolved_at  timestamptz,
    value        double precision not null,
    threshold    double precision not null,
    message      text             not null
);
create unique index alerts_open on alerts (alert, recipient_id) where resolved_at is null;
create index alerts_raised on alerts (raised_at);
