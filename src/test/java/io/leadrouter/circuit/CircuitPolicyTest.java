package io.leadrouter.circuit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.leadrouter.model.Buyer;
import io.leadrouter.model.RoutingRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitPolicyTest {

    private final CircuitPolicy policy = new CircuitPolicy(5, Duration.ofSeconds(30), Duration.ofMinutes(10), 500);

    @Test
    void theCoolDownDoublesAfterEachFailedProbeUpToTheLongest() {
        List<Long> seconds = new ArrayList<>();
        Duration coolDown = policy.coolDown();
        for (int i = 0; i < 7; i++) {
            seconds.add(coolDown.toSeconds());
            coolDown = policy.nextCoolDown(coolDown);
        }
        assertEquals(List.of(30L, 60L, 120L, 240L, 480L, 600L, 600L), seconds);
    }

    @Test
    void aBuyerFileThresholdWinsOverTheRoutersAndZeroMeansNever() {
        assertEquals(5, policy.failuresToOpen(buyer(null)));
        assertEquals(2, policy.failuresToOpen(buyer(2)));
        assertEquals(0, policy.failuresToOpen(buyer(0)));
    }

    @Test
    void settingsThatCannotWorkAreRefusedWithTheirNames() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new CircuitPolicy(5, Duration.ofMinutes(1), Duration.ofSeconds(30), 500));
        assertEquals(true, refused.getMessage().contains("max-cool-down-ms at least cool-down-ms"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CircuitPolicy(-1, Duration.ofSeconds(1), Duration.ofSeconds(1), 1));
        assertThrows(IllegalArgumentException.class, () -> new CircuitPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
    }

    private static Buyer buyer(Integer failuresToOpen) {
        return new Buyer("rcp_policy", "Policy", "http", "standard", true, "test", null, null, Buyer.PayloadFormat.JSON, null, null,
                List.of(), null, List.of(), null, false, 0, RoutingRules.NONE, null, null, Buyer.AlertOverrides.NONE, new Buyer.CircuitBreaker(failuresToOpen), Buyer.Feedback.DEFAULT, Buyer.RateLimit.NONE, null);
    }
}
