package io.leadrouter.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuyerScoreTest {

    @Test
    void theSpecsExampleScores93() {
        // 97 % delivered, 0.8 s mean response, the top average price ($45), 85 % of deliveries with feedback
        BuyerScore.Figures premier = new BuyerScore.Figures("premier", 100, 97, new BigDecimal("4365.00"), 82, 100, 80_000);
        // 40 × 0.97 + 20 × (1 − 0.8 / 5) + 25 × 1 + 15 × 82/97 = 38.8 + 16.8 + 25 + 12.68 = 93.28
        assertEquals(93, BuyerScore.rank(List.of(premier)).get(0).score());
    }

    @Test
    void thePricePartIsRelativeToTheHighestAveragePriceAmongTheBuyersScored() {
        BuyerScore.Figures top = new BuyerScore.Figures("top", 10, 10, new BigDecimal("500.00"), 0, 0, 0); // $50
        BuyerScore.Figures half = new BuyerScore.Figures("half", 10, 10, new BigDecimal("250.00"), 0, 0, 0); // $25
        List<BuyerScore> ranked = BuyerScore.rank(List.of(half, top));
        // no timed response: the speed part adds 0, not 20
        assertEquals(List.of("top", "half"), ranked.stream().map(s -> s.figures().recipientId()).toList());
        assertEquals(65, ranked.get(0).score()); // 40 + 0 + 25 + 0
        assertEquals(53, ranked.get(1).score()); // 40 + 0 + 12.5 + 0 = 52.5, half up
    }

    @Test
    void aSlowBuyerLosesTheWholeSpeedPartAndTiesGoByRecipientId() {
        BuyerScore.Figures slow = new BuyerScore.Figures("b", 4, 2, new BigDecimal("90.00"), 1, 4, 24_000); // 6 s mean
        BuyerScore.Figures same = new BuyerScore.Figures("a", 4, 2, new BigDecimal("90.00"), 1, 4, 24_000);
        List<BuyerScore> ranked = BuyerScore.rank(List.of(slow, same));
        assertEquals(List.of("a", "b"), ranked.stream().map(s -> s.figures().recipientId()).toList());
        assertEquals(53, ranked.get(0).score()); // 20 + 0 + 25 + 7.5 = 52.5, half up
    }

    @Test
    void aBuyerThatDeliveredNothingScoresOnlyWhatItCanBeMeasuredOn() {
        BuyerScore.Figures none = new BuyerScore.Figures("none", 5, 0, BigDecimal.ZERO, 0, 5, 1_000);
        assertEquals(19, BuyerScore.rank(List.of(none)).get(0).score()); // 0 + 20 × (1 − 0.2 s / 5) + 0 + 0 = 19.2
    }
}
