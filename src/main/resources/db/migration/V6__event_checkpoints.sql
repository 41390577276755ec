-- The seal over recipient_events (see io.leadrouter.events.EventSeals): each checkpoint covers the
-- events with seq in (the previous checkpoint's last_seq, last_seq], once no transaction that could
-- still add one of them is running. seals holds, per event in seq order, its seq (8 bytes) and the
-- MD5 of its stored JSON (16 bytes); digest = SHA-256(previous digest || seals). Editing, deleting or
-- slipping in an event below a checkpoint changes what verification recomputes; rewriting the chain
-- itself means rewriting every later digest, which the log (each digest at INFO) and the firehose
-- consumers' copies of the events expose. Append-only.
create table event_checkpoints (
    id              bigserial   primary key,
    first_seq       bigint      not null,
    last_seq        bigint      not null unique,
    events          integer     not null,
    seals           bytea       not null,
    digest          bytea       not null,
    previous_digest bytea,
    made_at         timestamptz not null default now()
);

create function event_checkpoints_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'event_checkpoints is append-only: % is not allowed', tg_op;
end;
$$;
create trigger event_checkpoints_append_only
    before update or delete on event_checkpoints
    for each row execute function event_checkpoints_append_only();
create trigger event_checkpoints_no_truncate
    before truncate on event_checkpoints
    for each statement execute function event_checkpoints_append_only();
