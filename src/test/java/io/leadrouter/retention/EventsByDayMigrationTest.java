package io.leadrouter.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.config.Migrations;
import io.leadrouter.events.EventSeals;
import io.leadrouter.events.EventStore;
import io.leadrouter.support.EmbeddedPostgresLogin;
import io.leadrouter.support.Json;
import io.leadrouter.testing.SharedServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * V13 on a database that already holds events: the events table becomes partitioned by day with
 * every event as it was (seq, event_id, the JSON's MD5), the seal made before it verifies after it,
 * nothing is noted twice for the firehose or the rollups, and writing, the triggers and the guards
 * work on the new table.
 */
class EventsByDayMigrationTest {

    private static final int EVENTS = 3_000;

    @Test
    void anExistingTableMovesIntoDayPartitionsWithoutLosingAnEvent() throws Exception {
        PGSimpleDataSource owner = new PGSimpleDataSource();
        owner.setUrl(SharedServices.get().newDatabase());
        owner.setUser(EmbeddedPostgresLogin.SUPERUSER);
        // the owner as the router: afterMigrate.sql grants on the latest schema's tables only
        Migrations.apply(owner, EmbeddedPostgresLogin.SUPERUSER, "12");
        writeEventsOverFiveDays(owner);
        EventSeals seals = new EventSeals(owner);
        Optional<Long> checkpoint = Optional.empty();
        for (int round = 0; round < 10 && checkpoint.isEmpty(); round++) {
            checkpoint = seals.round();
        }
        assertTrue(checkpoint.isPresent(), "the events were sealed before the migration");
        List<String> before = rows(owner, "select seq || ' ' || event_id || ' ' || md5(event::text) from recipient_events order by seq");
        List<String> notedBefore = rows(owner, "select (select count(*) from firehose_outbox) || ' ' || (select count(*) from analytics_queue)");

        Migrations.apply(owner, EmbeddedPostgresLogin.SUPERUSER);

        assertEquals(EVENTS, before.size());
        assertEquals(before, rows(owner, "select seq || ' ' || event_id || ' ' || md5(event::text) from recipient_events order by seq"),
                "every event, as it was");
        assertEquals(List.of("p"), rows(owner, "select relkind::text from pg_class where relname = 'recipient_events'"));
        assertEquals(List.of("0"), rows(owner, "select count(*)::text from recipient_events"
                + " where tableoid::regclass::text <> 'recipient_events_' || to_char(occurred_at at time zone 'UTC', 'YYYYMMDD')"),
                "each event in the partition of its day");
        assertEquals(rows(owner, "select count(distinct (occurred_at at time zone 'UTC')::date)::text from recipient_events"),
                rows(owner, "select count(distinct tableoid)::text from recipient_events"));
        EventSeals.Report report = seals.verify();
        assertTrue(report.intact(), report.toString());
        assertEquals(EVENTS, report.eventsSealed());
        assertEquals(notedBefore, rows(owner, "select (select count(*) from firehose_outbox) || ' ' || (select count(*) from analytics_queue)"),
                "nothing noted twice for the firehose or the rollups");

        long highest = Long.parseLong(rows(owner, "select max(seq)::text from recipient_events").get(0));
        ObjectNode event = Json.MAPPER.createObjectNode().put("event_id", UUID.randomUUID().toString())
                .put("event_type", "recipient.delivery_attempt").put("timestamp", Instant.now().toString()).put("lead_id", "lead_MigratedAfter01");
        event.putObject("recipient").put("id", "rcp_Migrated01");
        new EventStore(owner, Json.MAPPER).appendAll(List.of(event));
        assertTrue(Long.parseLong(rows(owner, "select seq::text from recipient_events where lead_id = 'lead_MigratedAfter01'").get(0)) > highest,
                "the sequence goes on");
        assertEquals(List.of("1 1"), rows(owner, "select (select count(*) from firehose_outbox where event_seq > " + highest + ") || ' '"
                + " || (select count(*) from analytics_queue where seq > " + highest + ")"), "a new event is noted once, as before");
        assertEquals(List.of(String.valueOf(EVENTS + 1)), rows(owner, "select analytics_drain(10000)::text"),
                "the rollups' functions work on the new table's rows");

        try (Connection db = owner.getConnection(); Statement sql = db.createStatement()) {
            SQLException update = assertThrows(SQLException.class, () -> sql.execute("update recipient_events set outcome = 'x'"));
            assertTrue(update.getMessage().contains("append-only"), update.getMessage());
            String day = rows(owner, "select to_char(min(occurred_at) at time zone 'UTC', 'YYYYMMDD') from recipient_events").get(0);
            SQLException truncate = assertThrows(SQLException.class, () -> sql.execute("truncate recipient_events_" + day));
            assertTrue(truncate.getMessage().contains("append-only"), truncate.getMessage());
        }
    }

    /** Attempts over five UTC days up to now, as V12's table took them (its triggers on). */
    private static void writeEventsOverFiveDays(PGSimpleDataSource owner) throws SQLException {
        try (Connection db = owner.getConnection(); Statement sql = db.createStatement()) {
            sql.execute("""
                    insert into recipient_events (event_id, event_type, lead_id, recipient_id, occurred_at, event)
                    select id, 'recipient.delivery_attempt', lead, 'rcp_Migrated01', at,
                        jsonb_build_object('event_id', id, 'event_type', 'recipient.delivery_attempt',
                            'timestamp', to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'lead_id', lead,
                            'recipient', jsonb_build_object('id', 'rcp_Migrated01'),
                            'metadata', jsonb_build_object('attempt_number', 1, 'total_attempts', 1))
                    from (select gen_random_uuid() as id, 'lead_Migrated' || lpad(i::text, 7, '0') as lead,
                              now() - (%d - i) * interval '144 seconds' as at
                          from generate_series(1, %d) as i) as e""".formatted(EVENTS, EVENTS));
        }
    }

    private static List<String> rows(PGSimpleDataSource owner, String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection db = owner.getConnection(); Statement sql = db.createStatement(); ResultSet rs = sql.executeQuery(query)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
