package io.leadrouter.bench;

import io.leadrouter.testing.ForkedRouter;
import io.leadrouter.testing.RouterUnderTest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * {@code GET /exports/events} of {@code bench.events} events (default a million) from a router whose heap
 * is capped at {@code bench.heap} (256m): rows a second and the router's peak heap, as NDJSON, CSV and
 * gzip-compressed CSV. The events are realistic delivered and failed events written straight into the
 * table (the triggers off, as a bulk load would be), so that nothing but the export runs meanwhile.
 * Prints the figures; asserts nothing.
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.leadrouter.bench.ExportBench
 * </pre>
 */
public final class ExportBench {

    private ExportBench() {
    }

    public static void main(String... args) throws Exception {
        int events = Integer.getInteger("bench.events", 1_000_000);
        String heap = System.getProperty("bench.heap", "256m");
        RouterUnderTest storage = RouterUnderTest.start();
        storage.close();
        long started = System.nanoTime();
        write(storage, events);
        System.out.printf(Locale.ROOT, "[export-bench] %,d events written in %.1f s%n", events, (System.nanoTime() - started) / 1e9);
        // the seal would hash a million events meanwhile: not what is measured here
        try (ForkedRouter router = ForkedRouter.start(storage, Map.of("leadrouter.events.seal-period-ms", "86400000"), heap)) {
            HttpClient http = HttpClient.newHttpClient();
            Awaitility.await("the router").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> router.get("/events?limit=1").statusCode() == 200);
            System.out.printf(Locale.ROOT, "[export-bench] router heap -Xmx%s; %s%n", heap, Machine.describe().oneLine());
            System.out.printf(Locale.ROOT, "%-10s %12s %10s %10s %12s %12s%n", "format", "events", "seconds", "rows/s", "MB sent",
                    "peak heap MiB");
            for (String[] run : List.of(new String[] {"ndjson", null}, new String[] {"csv", null}, new String[] {"csv", "gzip"})) {
                try (ProcessResources resources = ProcessResources.watch(router.pid())) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(router.baseUrl() + "/exports/events?format=" + run[0]))
                            .header("Authorization", "Bearer " + router.key())
                            .header("Accept-Encoding", run[1] == null ? "identity" : run[1]).build();
                    long start = System.nanoTime();
                    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                    long bytes = 0;
                    long lines = 0;
                    InputStream body = run[1] == null ? response.body() : new java.util.zip.GZIPInputStream(response.body());
                    byte[] buffer = new byte[64 * 1024];
                    try (body) {
                        for (int n; (n = body.read(buffer)) > 0; ) {
                            bytes += n;
                            for (int i = 0; i < n; i++) {
                                lines += buffer[i] == '\n' ? 1 : 0;
                            }
                        }
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    long rows = run[0].equals("csv") ? lines - 1 : lines;
                    ProcessResources.Usage usage = resources.finish();
                    System.out.printf(Locale.ROOT, "%-10s %,12d %10.1f %,10.0f %12.1f %12.1f%n", run[0] + (run[1] == null ? "" : "+gz"),
                            rows, seconds, rows / seconds, bytes / 1e6, usage.peakHeapUsedMiB());
                }
            }
        }
        System.exit(0); // the shared broker's threads would keep exec:java waiting
    }

    /** Delivered and failed events over 30 days, for 20 buyers, in statements of 100,000. */
    private static void write(RouterUnderTest storage, int events) throws Exception {
        try (Connection c = storage.connect(); Statement off = c.createStatement()) {
            off.execute("set session_replication_role = replica");
            RouterUnderTest.makeEventDays(c, java.time.Instant.parse("2026-11-01T00:00:00Z"), java.time.Instant.parse("2026-12-02T00:00:00Z"));
            try (PreparedStatement insert = c.prepareStatement("""
                    insert into recipient_events (event_id, event_type, lead_id, recipient_id, occurred_at, outcome,
                        failure_category, failure_reason, duration_ms, price, event)
                    select id, kind, lead, buyer, at, outcome, category, reason, ms, 45.00,
                        jsonb_strip_nulls(jsonb_build_object('event_id', id, 'event_type', kind,
                            'timestamp', to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'lead_id', lead,
                            'recipient', jsonb_build_object('id', buyer, 'name', 'Buyer ' || buyer, 'type', 'buyer'),
                            'outcome', outcome, 'duration_ms', ms,
                            'failure', case when reason is not null then jsonb_build_object('reason', reason, 'category', category,
                                'details', 'Connection timeout after 30 seconds', 'retry_eligible', category = 'technical') end,
                            'delivery', jsonb_build_object('method', 'HTTP POST', 'url', 'https://api.buyer.example/leads',
                                'price', case when reason is null then 45.00 end, 'margin', case when reason is null then 32.50 end,
                                'attempted_price', case when reason is not null then 45.00 end),
                            'response', jsonb_build_object('status_code', case when reason = 'Timeout' then null else 200 end,
                                'body', jsonb_build_object('result', 'accepted', 'lead_id', 'buyer-' || i, 'payout', 45.00,
                                    'message', 'Lead accepted successfully'),
                                'parsed', jsonb_build_object('buyer_lead_id', 'buyer-' || i, 'acceptance', reason is null)),
                            'metadata', jsonb_build_object('attempt_number', 1, 'total_attempts', 3, 'final', true,
                                'integration', 'generic_http', 'buyer_tier', 'standard')))
                    from (select i, gen_random_uuid() as id, 'lead_' || upper(substr(md5(i::text), 1, 16)) as lead,
                              'rcp_Buyer' || lpad((i % 20)::text, 5, '0') as buyer,
                              timestamptz '2026-11-01' + i * interval '2592 milliseconds' as at,
                              case when i % 5 = 0 then 'recipient.failed' else 'recipient.delivered' end as kind,
                              case when i % 5 = 0 then 'failed' else 'success' end as outcome,
                              case when i % 5 = 0 then 'technical' end as category,
                              case when i % 5 = 0 then 'Timeout' end as reason,
                              (100 + i % 900)::int as ms
                          from generate_series(?::int, ?::int) as i) as e
                    """)) {
                for (int from = 1; from <= events; from += 100_000) {
                    insert.setInt(1, from);
                    insert.setInt(2, Math.min(events, from + 99_999));
                    insert.execute();
                }
            }
        }
    }
}
