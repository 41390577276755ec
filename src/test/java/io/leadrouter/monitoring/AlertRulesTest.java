package io.leadrouter.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        assertEquals(List.of(), firing(new BuyerObservation(100, 95, 800, 1, -1)));
    }

    @Test
    void eachThresholdIsCrossedOnlyBeyondIt() {
        assertEquals(List.of(), firing(new BuyerObservation(100, 90, 5000, 5, 599_999)), "exactly at every threshold");
        assertEquals(List.of("delivery_rate_low"), firing(new BuyerObservation(100, 89, 0, 0, -1)));
        assertEquals(List.of("response_time_high"), firing(new BuyerObservation(10, 10, 5001, 0, -1)));
        assertEquals(List.of("consecutive_failures"), firing(new BuyerObservation(0, 0, -1, 6, -1)));
        assertEquals(List.of("buyer_offline"), firing(new BuyerObservation(0, 0, -1, 0, 600_000)));
    }

    @Test
    void tooFewOffersSayNothingOfTheDeliveryRate() {
        assertEquals(List.of(), firing(new BuyerObservation(19, 0, 100, 0, -1)));
        assertEquals(List.of("delivery_rate_low"), firing(new BuyerObservation(20, 0, 100, 0, -1)));
    }

    @Test
    void theMessageSaysWhatWasMeasuredAgainstWhat() {
        AlertRules.Firing rate = rules.firing("Premier", new BuyerObservation(40, 30, 100, 0, -1)).get(0);
        assertEquals("Premier: delivery rate 75.0 % over the last 15 min (30 of 40 offers), under 90 %", rate.message());
        assertEquals(0.75, rate.value());
        assertEquals(0.90, rate.threshold());
    }
}
