-- API keys (see io.leadrouter.security). A key is shown once, when made; only its SHA-256 is kept.
-- The prefix is the key's public part: it finds the row, and lists the key for people.
-- A revoked key stays, so that what it did can still be attributed to it.
create table api_keys (
    id           text        primary key,
    prefix       text        not null unique,
    key_sha256   bytea       not null,
    role         text        not null check (role in ('ingest', 'read', 'operate', 'admin', 'buyer')),
    recipient_id text        check ((role = 'buyer') = (recipient_id is not null)),
    name         text        not null default '',
    created_at   timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

-- Every instance keeps the keys in memory and hears of each change at once (LISTEN api_keys), so
-- a key revoked on one instance is refused by all of them from the next request on.
create function api_keys_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('api_keys', '');
    return null;
end;
$$;
create trigger api_keys_changed
    after insert or update of revoked_at or delete on api_keys
    for each statement execute function api_keys_changed();
