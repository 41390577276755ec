package io.leadrouter.routes;

import io.leadrouter.model.Buyer;
import io.leadrouter.model.RoutingRules;
import io.leadrouter.model.Buyer.RetryPolicy;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Buyers for route tests: only the id and the retry policy matter to a buyer's route. */
final class SampleBuyers {

    private SampleBuyers() {
    }

    static Buyer buyer(String id, RetryPolicy retry) {
        Buyer.Endpoint neverCalled = new Buyer.Endpoint("http://127.0.0.1:9/leads", "POST", 1000, 1000);
        Buyer.ResponseRules statusOnly = new Buyer.ResponseRules(Buyer.ResponseType.JSON, List.of(200), null, null, null, null, List.of());
        return new Buyer(id, "Buyer " + id, "http", "standard", true, "test", null, neverCalled, Buyer.PayloadFormat.JSON, null,
                Map.of(), List.of(), null, List.of(), new BigDecimal("45.00"), false, 10, RoutingRules.NONE, retry, statusOnly, Buyer.AlertOverrides.NONE,
                Buyer.CircuitBreaker.DEFAULT, Buyer.Feedback.DEFAULT, Buyer.RateLimit.NONE, null);
    }
}
