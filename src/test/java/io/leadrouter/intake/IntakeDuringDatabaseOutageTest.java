package io.leadrouter.intake;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leadrouter.dev.EmbeddedPostgresService;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.KafkaLeads;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /leads} while PostgreSQL is down: every request is answered 503 in the JSON error
 * shape with {@code Retry-After}, none later than the documented bound (the pool's connect timeout,
 * {@code leadrouter.datasource.connect-timeout-ms}, plus a second), nothing is stored, and leads are
 * accepted again by themselves once the database is back.
 */
class IntakeDuringDatabaseOutageTest {

    private static final String BUYER = "rcp_Int4keOutageBuyer";
    private static final int CONNECT_TIMEOUT_MS = 2000;
    private static final int CLIENTS = 4;

    @Test
    void everyLeadIsAnswered503WithinTheBoundAndNothingIsStored() throws Exception {
        EmbeddedPostgresService postgres = new EmbeddedPostgresService(RouterUnderTest.freePort(), Files.createTempDirectory("intake-outage"));
        postgres.start();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try (StubBuyer buyer = StubBuyer.answering(Reply.json(200, ACCEPTED));
                RouterUnderTest router = RouterUnderTest.builder().database(postgres.jdbcUrl(), postgres.superuserPassword())
                        .property("leadrouter.datasource.connect-timeout-ms", String.valueOf(CONNECT_TIMEOUT_MS)).start()) {
            router.installBuyer("buyer.yaml", BUYER, BuyerFiles.jsonBuyer(BUYER, buyer.url("/leads")));
            router.postLead(SAMPLE_LEAD);

            postgres.stop();
            List<String> refusedIds = Collections.synchronizedList(new ArrayList<>());
            List<Long> latenciesMs = Collections.synchronizedList(new ArrayList<>());
            long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    while (System.nanoTime() < until) {
                        String leadId = LeadIds.next();
                        long started = System.nanoTime();
                        HttpResponse<String> response = router.post("/leads", "application/json", KafkaLeads.withLeadId(leadId, SAMPLE_LEAD));
                        latenciesMs.add((System.nanoTime() - started) / 1_000_000);
                        assertEquals(503, response.statusCode(), response.body());
                        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
                        assertEquals("5", response.headers().firstValue("Retry-After").orElse(""), response.headers().toString());
                        assertEquals("{\"error\":\"the lead store is unavailable; the lead was not accepted, try again later\",\"status\":503}",
                                response.body());
                        refusedIds.add(leadId);
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
            List<Long> sorted = new ArrayList<>(latenciesMs);
            Collections.sort(sorted);
            long max = sorted.get(sorted.size() - 1);
            System.out.printf("503s during the outage: %d, latency p50 %d ms, max %d ms (bound %d ms)%n", sorted.size(),
                    sorted.get(sorted.size() / 2), max, CONNECT_TIMEOUT_MS + 1000);
            assertTrue(max <= CONNECT_TIMEOUT_MS + 1000, "a 503 took " + max + " ms");

            postgres.start();
            Awaitility.await("leads accepted again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> router.post("/leads", "application/json", SAMPLE_LEAD).statusCode() == 202);
            String refused = String.join("','", refusedIds);
            assertEquals(0, router.count("select count(*) from leads where lead_id in ('" + refused + "')"), "a refused lead was stored");
        } finally {
            clients.shutdownNow();
            postgres.stop();
        }
    }
}
