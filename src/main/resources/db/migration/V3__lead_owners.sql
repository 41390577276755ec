-- Which router instance walks each lead through its buyers. An instance holds a PostgreSQL
-- advisory lock on its id for as long as it runs (see io.leadrouter.routing.InstancePresence);
-- when its session ends (a stop, a crash), another instance claims its unfinished leads.
-- Leads stored before owners existed belong to nobody alive, so they are claimed too.
alter table leads add column owner text not null default 'none';
create index leads_unfinished_by_owner on leads (owner, received_at) where completed_at is null;
drop index leads_incomplete;
