package io.leadrouter.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.leadrouter.model.Buyer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertRulesTest {

    private final AlertRules rules = new AlertRules(new AlertThresholds(0.90, Duration.ofMinutes(15), 20, Duration.ofSeconds(5), 5,
            Duration.ofMinutes(10)));

    private List<String> firing(BuyerObservation seen) {
        return rules.firing("Premier", seen).stream().map(AlertRules.Firing::alert).toList();
    }

    @Test
    void aHealthyBuyerCallsForNothing() {
        assertEquals(List.of(), firing(new BuyerObservation(100, 95, 800, 1, -1, -1)));
    }

    @Test
    void eachThresholdIsCrossedOnlyBeyondIt() {
        assertEquals(List.of(), firing(new BuyerObservation(100, 90, 5000, 5, 599_999, -1)), "exactly at every threshold");
        assertEquals(List.of("delivery_rate_low"), firing(new BuyerObservation(100, 89, 0, 0, -1, -1)));
        assertEquals(List.of("response_time_high"), firing(new BuyerObservation(10, 10, 5001, 0, -1, -1)));
        assertEquals(List.of("consecutive_failures"), firing(new BuyerObservation(0, 0, -1, 6, -1, -1)));
        assertEquals(List.of("buyer_offline"), firing(new BuyerObservation(0, 0, -1, 0, 600_000, -1)));
    }

    @Test
    void anOpenCircuitIsAnAlertOfItsOwnAndCountsAsOfflineOnceLongEnough() {
        assertEquals(List.of("circuit_open"), firing(new BuyerObservation(0, 0, -1, 5, 1_000, 30_000)));
        assertEquals(List.of("buyer_offline", "circuit_open"), firing(new BuyerObservation(0, 0, -1, 5, -1, 600_000)));
        String message = rules.firing("Premier", new BuyerObservation(0, 0, -1, 5, -1, 601_000)).get(0).message();
        assertEquals("Premier: circuit open for 601 s (offline after 600 s)", message);
    }

    @Test
    void aBuyerFileThresholdReplacesTheRoutersAndTheOthersStay() {
        AlertThresholds router = new AlertThresholds(0.90, Duration.ofMinutes(15), 20, Duration.ofSeconds(5), 5, Duration.ofMinutes(10));
        AlertThresholds own = router.forBuyer(new Buyer.AlertOverrides(0.5, null, 250L, null, 30L));
        assertEquals(new AlertThresholds(0.5, Duration.ofMinutes(15), 20, Duration.ofMillis(250), 5, Duration.ofSeconds(30)), own);
        assertEquals(router, router.forBuyer(Buyer.AlertOverrides.NONE));
        assertEquals(List.of("response_time_high"), new AlertRules(own).firing("Premier", new BuyerObservation(20, 12, 300, 0, -1, -1))
                .stream().map(AlertRules.Firing::alert).toList(), "60 % delivered is fine at 50 %; 300 ms is slow at 250");
    }

    @Test
    void tooFewOffersSayNothingOfTheDeliveryRate() {
        assertEquals(List.of(), firing(new BuyerObservation(19, 0, 100, 0, -1, -1)));
        assertEquals(List.of("delivery_rate_low"), firing(new BuyerObservation(20, 0, 100, 0, -1, -1)));
    }

    @Test
    void theMessageSaysWhatWasMeasuredAgainstWhat() {
        AlertRules.Firing rate = rules.firing("Premier", new BuyerObservation(40, 30, 100, 0, -1, -1)).get(0);
        assertEquals("Premier: delivery rate 75.0 % over the last 15 min (30 of 40 offers), under 90 %", rate.message());
        assertEquals(0.75, rate.value());
        assertEquals(0.90, rate.threshold());
    }
}
