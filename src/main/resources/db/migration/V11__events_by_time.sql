-- GET /events and the exports walk the events in (timestamp, seq) order, newest or oldest first, a page
-- at a time from a cursor (issue 16): this index serves a listing without a buyer, type or lead filter.
create index recipient_events_time on recipient_events (occurred_at, seq);
