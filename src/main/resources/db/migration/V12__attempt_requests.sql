-- What each attempt sent its buyer (method, URL, headers, body; credentials and masked lead fields
-- as ****), kept beside the attempt's outcome event (recipient.delivered or recipient.failed) for
-- the lead details and the console's failure investigation. Not part of the event: the firehose,
-- the events API and the seal carry the event's JSON only. Null where nothing was sent.
alter table recipient_events add column request jsonb;
