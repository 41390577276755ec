-- What buyers tell the router about themselves (see io.leadrouter.delivery.CallRateLimit and GoneBuyers).

-- rate_limit.per_second, across instances: a buyer limited to N calls a second has N slots, and a
-- call takes the slot used longest ago, if that was more than a second ago (one conditional
-- statement, rows locked with skip locked). So no one-second window holds more than N calls, whatever
-- the instances. used_at is moved to the moment the request goes out, so that the time spent
-- recording the attempt does not count as spacing. A slot at or beyond the buyer's current limit
-- is not used (the file lowered it) and is deleted when the buyer is next limited.
create table buyer_call_slots (
    recipient_id text        not null,
    slot         int         not null,
    used_at      timestamptz not null default '-infinity',
    primary key (recipient_id, slot)
);

-- A buyer that answered HTTP 410 Gone: no further calls until its buyer file changes. The row names
-- the content hash of the file in force when it answered; an instance whose file has another hash
-- (the operator changed it) calls the buyer again. The row stays until a later 410 overwrites it, so a
-- file changed back to exactly that content is gone again.
create table buyer_gone (
    recipient_id text        primary key,
    file_hash    text        not null,
    gone_at      timestamptz not null default now(),
    lead_id      text        not null,
    details      text        not null
);
