package io.leadrouter.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.leadrouter.model.Buyer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReturnRulesTest {

    private static final Instant DELIVERED = Instant.parse("2026-12-01T10:00:00Z");
    private static final ReturnRules RULES = new ReturnRules(new Buyer.Feedback(7, List.of("Duplicate", "Bad phone"), 0.25));

    @Test
    void aReturnWithinEveryRuleIsAccepted() throws Exception {
        assertEquals(ReturnRules.Verdict.ACCEPTED, judge(RULES, "Duplicate", Duration.ofDays(7), false, 8, 1));
    }

    @Test
    void theWindowClosesExactlyItsDaysAfterTheDelivery() throws Exception {
        assertEquals(Optional.of("the return window of 7 days after the delivery closed at 2026-12-08T10:00:00Z"),
                judge(RULES, "Duplicate", Duration.ofDays(7).plusMillis(1), false, 8, 0).refusal());
    }

    @Test
    void theRulesAreCheckedInOrderAndTheFirstBrokenNamesTheRefusal() throws Exception {
        ReturnRules.Verdict verdict = judge(RULES, "Too old", Duration.ofDays(8), true, 0, 0);
        assertEquals(422, verdict.status());
        assertEquals(true, verdict.refusal().orElseThrow().startsWith("the return window"));
        verdict = judge(RULES, "Too old", Duration.ZERO, true, 0, 0);
        assertEquals(Optional.of("reason 'Too old' is not one of the buyer's return reasons: Duplicate, Bad phone"), verdict.refusal());
        verdict = judge(RULES, "Bad phone", Duration.ZERO, true, 0, 0);
        assertEquals(409, verdict.status());
        assertEquals(Optional.of("the lead was already returned"), verdict.refusal());
    }

    @Test
    void theMonthlyRateCountsThisReturnToo() throws Exception {
        // 0.25 of 8 deliveries: the second return is the last one allowed
        assertEquals(ReturnRules.Verdict.ACCEPTED, judge(RULES, "Duplicate", Duration.ZERO, false, 8, 1));
        assertEquals(Optional.of("a return would make 3 returns of 8 leads delivered this month, over the buyer's max_return_rate of 0.25"),
                judge(RULES, "Duplicate", Duration.ZERO, false, 8, 2).refusal());
    }

    @Test
    void aBuyerWithoutRulesTakesAnyReasonWithinSevenDaysWithoutLimit() throws Exception {
        assertEquals(ReturnRules.Verdict.ACCEPTED, judge(new ReturnRules(Buyer.Feedback.DEFAULT), null, Duration.ofDays(6), false, 0, 0));
    }

    private static ReturnRules.Verdict judge(ReturnRules rules, String reason, Duration afterDelivery, boolean returned, long delivered,
            long returns) throws Exception {
        return rules.judge(reason, DELIVERED, DELIVERED.plus(afterDelivery), () -> returned, () -> new ReturnRules.Month(delivered, returns));
    }
}
