package io.leadrouter.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.leadrouter.model.Buyer;
import io.leadrouter.model.RoutingRules;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Waves: consecutive non-exclusive buyers together, each exclusive buyer alone, in priority order. */
class WavePlanTest {

    private static final Buyer A = buyer("rcp_A", false);
    private static final Buyer B = buyer("rcp_B", false);
    private static final Buyer X = buyer("rcp_X", true);
    private static final Buyer C = buyer("rcp_C", false);
    private static final Buyer Y = buyer("rcp_Y", true);

    @Test
    void consecutiveNonExclusiveBuyersFormOneWaveAndAnExclusiveOneStandsAlone() {
        WavePlan queue = new WavePlan(List.of(A, B, X, C, Y), Set.of(), false, false);
        assertEquals(List.of(A, B), queue.nextWave());
        assertEquals(List.of(X), queue.nextWave());
        assertEquals(List.of(C), queue.nextWave());
        assertEquals(List.of(Y), queue.nextWave());
        assertEquals(List.of(), queue.nextWave());
    }

    @Test
    void aSaleInAWaveSkipsTheExclusiveBuyersAfterIt() {
        WavePlan queue = new WavePlan(List.of(A, B, X, C, Y), Set.of(), false, false);
        assertEquals(List.of(A, B), queue.nextWave());
        queue.accepted(B);
        assertEquals(List.of(C), queue.nextWave(), "X is exclusive and the lead is sold: next comes C");
        assertEquals(List.of(), queue.nextWave());
    }

    @Test
    void anExclusiveSaleEndsTheWalk() {
        WavePlan queue = new WavePlan(List.of(X, A, B), Set.of(), false, false);
        assertEquals(List.of(X), queue.nextWave());
        queue.accepted(X);
        assertEquals(List.of(), queue.nextWave());
    }

    @Test
    void buyersFinishedBeforeARestartAreLeftOut() {
        WavePlan queue = new WavePlan(List.of(A, B, X, C), Set.of("rcp_A", "rcp_X"), true, false);
        assertEquals(List.of(B, C), queue.nextWave(), "without X between them, B and C are one wave");
    }

    private static Buyer buyer(String id, boolean exclusive) {
        return new Buyer(id, id, "http", "standard", true, "test", null, null, Buyer.PayloadFormat.JSON, null, null,
                List.of(), null, List.of(), null, exclusive, 0, RoutingRules.NONE, null, null, Buyer.AlertOverrides.NONE, Buyer.CircuitBreaker.DEFAULT, Buyer.Feedback.DEFAULT, Buyer.RateLimit.NONE, null);
    }
}
