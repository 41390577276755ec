-- Who changed what (see io.leadrouter.security.AuditLog): buyer files added, changed and removed,
-- API keys made and revoked, dead letters replayed, each with the key (or the part of the router)
-- that did it. Append-only: the database refuses every update and delete.
create table audit_log (
    seq     bigserial   primary key,
    at      timestamptz not null default now(),
    actor   text        not null,
    action  text        not null,
    subject text        not null,
    details jsonb       not null default '{}'
);
create index audit_log_subject on audit_log (subject, seq);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only: % is not allowed', tg_op;
end;
$$;
create trigger audit_log_append_only
    before update or delete on audit_log
    for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate
    before truncate on audit_log
    for each statement execute function audit_log_append_only();
