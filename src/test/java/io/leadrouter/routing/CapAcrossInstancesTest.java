package io.leadrouter.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A cap is exact across instances: two routers on one database, 1,000 leads posted at once to both
 * (500 each), one buyer capped at 100 leads a day: it is called exactly 100 times and buys 100, the
 * 900 others are skipped as cap_reached, none over.
 */
class CapAcrossInstancesTest {

    private static final String BUYER = "rcp_capAcrossTwo";
    private static final int LEADS = 1000;
    private static final int CAP = 100;

    /** A zone whose day does not end during the test (a new day would bring a new cap). */
    private static String zoneAwayFromMidnight() {
        for (String zone : List.of("America/New_York", "Asia/Tokyo")) {
            java.time.LocalTime now = java.time.LocalTime.now(java.time.ZoneId.of(zone));
            if (now.isAfter(java.time.LocalTime.of(0, 10)) && now.isBefore(java.time.LocalTime.of(23, 30))) {
                return zone;
            }
        }
        throw new IllegalStateException("New York and Tokyo are 13 or 14 hours apart: one of them is far from midnight");
    }

    @Test
    void twoRoutersSellExactlyTheCap() throws Exception {
        try (StubBuyer buyer = StubBuyer.answering(Reply.json(200, BuyerFiles.ACCEPTED));
                RouterUnderTest first = RouterUnderTest.start();
                RouterUnderTest second = RouterUnderTest.builder().sameStorageAs(first).start()) {
            first.writeBuyer("capped.yaml", BuyerFiles.jsonBuyer(BUYER, "Capped", buyer.url("/leads"), 1, false, 1) + """
                    time_zone: %s
                    caps:
                      leads:
                        day: %d
                    """.formatted(zoneAwayFromMidnight(), CAP));
            first.awaitBuyer(BUYER);
            second.awaitBuyer(BUYER);

            ExecutorService posters = Executors.newFixedThreadPool(8);
            List<Future<String>> posted = new ArrayList<>();
            for (int i = 0; i < LEADS; i++) {
                RouterUnderTest router = i % 2 == 0 ? first : second;
                posted.add(posters.submit(() -> router.postLead(BuyerFiles.SAMPLE_LEAD)));
            }
            for (Future<String> leadId : posted) {
                leadId.get();
            }
            posters.shutdown();
            Awaitility.await("every lead routed").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> first.count("select count(*) from leads where completed_at is not null") == LEADS);

            assertEquals(CAP, buyer.requestCount(), "called exactly as many times as its cap");
            assertEquals(CAP, first.count("select count(*) from recipient_events where event_type = 'recipient.delivered' and recipient_id = '" + BUYER + "'"));
            assertEquals(LEADS - CAP, first.count("select count(*) from routing_decisions where decision = 'cap_reached' and recipient_id = '" + BUYER + "'"));
            assertEquals(CAP, first.count("select leads from cap_usage where recipient_id = '" + BUYER + "' and period = 'day'"));
            assertEquals(CAP, first.count("select count(*) from cap_reservations where sold_at is not null and recipient_id = '" + BUYER + "'"));
            // both instances did their share of the selling
            assertEquals(2, first.count("select count(distinct reserved_by) from cap_reservations where recipient_id = '" + BUYER + "'"));
        }
    }
}
