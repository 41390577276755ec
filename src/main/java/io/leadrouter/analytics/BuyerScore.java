package io.leadrouter.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.List;

/**
 * The spec's buyer score, 0–100: 40 × delivery rate + 20 × max(0, 1 − mean response seconds / 5)
 * + 25 × its average price / the highest average price among the buyers scored + 15 × feedback rate,
 * rounded to an integer (half up). A part with nothing to measure (no timed response, no delivery) adds 0.
 */
public record BuyerScore(Figures figures, int score) {

    /** One buyer's sums over the range. */
    public record Figures(String recipientId, long offers, long delivered, BigDecimal revenue, long withFeedback,
            long timedResponses, long responseMsSum) {

        BigDecimal averagePrice() {
            return delivered == 0 ? null : revenue.divide(BigDecimal.valueOf(delivered), 10, RoundingMode.HALF_UP);
        }
    }

    /** Scores each buyer (each with at least one offer), best first, ties by recipient id. */
    public static List<BuyerScore> rank(List<Figures> buyers) {
        BigDecimal highest = buyers.stream().map(Figures::averagePrice).filter(p -> p != null)
                .max(Comparator.naturalOrder()).orElse(null);
        return buyers.stream()
                .map(f -> new BuyerScore(f, scoreOf(f, highest)))
                .sorted(Comparator.comparingInt(BuyerScore::score).reversed()
                        .thenComparing(s -> s.figures().recipientId()))
                .toList();
    }

    static int scoreOf(Figures f, BigDecimal highestAveragePrice) {
        double deliveryRate = f.offers() == 0 ? 0 : (double) f.delivered() / f.offers();
        double speed = f.timedResponses() == 0 ? 0
                : Math.max(0, 1 - ((double) f.responseMsSum() / f.timedResponses()) / 1000 / 5);
        BigDecimal average = f.averagePrice();
        double price = average == null || highestAveragePrice == null || highestAveragePrice.signum() <= 0 ? 0
                : average.doubleValue() / highestAveragePrice.doubleValue();
        double feedback = f.delivered() == 0 ? 0 : (double) f.withFeedback() / f.delivered();
        return (int) Math.round(40 * deliveryRate + 20 * speed + 25 * price + 15 * feedback);
    }
}
