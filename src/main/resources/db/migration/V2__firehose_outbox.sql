-- The firehose outbox: every event stored in recipient_events is also noted here, in the same
-- transaction (by the database itself, below), until the firehose relay has it acknowledged by
-- Kafka. So an event in the table reaches the topic even when Kafka was down when it was written,
-- or the router stopped in between. The relay publishes in id order and deletes what Kafka acked.
create table firehose_outbox (
    id        bigserial primary key,
    event_seq bigint not null
);

create function recipient_events_to_outbox() returns trigger language plpgsql as $$
begin
    insert into firehose_outbox (event_seq) select seq from inserted order by seq;
    return null;
end;
$$;
-- once per statement: a batch of events costs one insert here, not one per event
create trigger recipient_events_to_outbox
    after insert on recipient_events
    referencing new table as inserted
    for each statement execute function recipient_events_to_outbox();
