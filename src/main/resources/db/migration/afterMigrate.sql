-- Run after every migration, by the owner of the tables: the router's own role (the pool's,
-- leadrouter.datasource.username) may do what its work needs and nothing more. It adds to the
-- append-only tables (events, audit log, checkpoints) but cannot update, delete or truncate them,
-- nor switch their triggers off (only their owner may), whatever it sets in its session.
-- Retention runs as functions owned by the owner (security definer: event_retention_drop, lead_retention,
-- analytics_retention, and recipient_events_partition making a day's partition), not as this role.
do $grants$
declare
    router name := '${routerRole}';
begin
    if router = current_user then
        return; -- no role of its own: the router owns the tables (it warns at startup)
    end if;
    execute format('revoke all on all tables in schema public from %I', router);
    execute format('revoke all on all sequences in schema public from %I', router);
    execute format('grant usage on schema public to %I', router);
    execute format('grant select, insert, update on leads, dead_letters, api_keys, alerts, buyer_circuits to %I', router);
    execute format('grant select, insert, update, delete on held_leads to %I', router);
    -- the routing rules: decisions are only added; reservations, claims and suppressions come and go
    execute format('grant select, insert on routing_decisions to %I', router);
    execute format('grant select, insert, update on cap_usage to %I', router);
    execute format('grant select, insert, update, delete on cap_reservations, consumer_claims, buyer_suppressions to %I', router);
    -- the buyers' own signals: rate-limit slots, and buyers gone until their file changes (V15)
    execute format('grant select, insert, update, delete on buyer_call_slots, buyer_gone to %I', router);
    execute format('grant select, insert on recipient_events, audit_log, event_checkpoints to %I', router);
    -- what retention dropped, which verifying the seal reads
    execute format('grant select on event_retention to %I', router);
    -- the analytics rollups are the database's own (written by its trigger, as their owner): read only
    execute format('grant select on analytics_offers, analytics_rollup, analytics_reasons, analytics_failure_days, analytics_reason_days, analytics_delivered_at, analytics_sketch_days, analytics_gaps, analytics_queue to %I', router);
    -- the relay deletes what Kafka acknowledged
    execute format('grant select, insert, delete on firehose_outbox to %I', router);
    -- nextval for inserts; select to read where the events' sequence stands (sealing)
    execute format('grant usage, select on all sequences in schema public to %I', router);
end
$grants$;
