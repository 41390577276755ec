package io.leadrouter.feedback;

import io.leadrouter.support.Quoted;
import io.leadrouter.model.Buyer;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a buyer may return a lead, by its file's {@code feedback} section; checked in the order
 * below, the first rule broken names the refusal.
 */
public record ReturnRules(Buyer.Feedback rules) {

    /** The answer: 201 and no refusal, or the status and the reason the buyer should see. */
    public record Verdict(int status, Optional<String> refusal) {
        static final Verdict ACCEPTED = new Verdict(201, Optional.empty());

        static Verdict refused(int status, String why) {
            return new Verdict(status, Optional.of(why));
        }
    }

    /** The buyer's deliveries and accepted returns this calendar month. */
    public record Month(long delivered, long returned) {
    }

    /** A figure read from the database only when a rule needs it. */
    @FunctionalInterface
    public interface Lookup<T> {
        T get() throws SQLException;
    }

    public Verdict judge(String reason, Instant deliveredAt, Instant now, Lookup<Boolean> alreadyReturned, Lookup<Month> month)
            throws SQLException {
        Instant windowEnd = deliveredAt.plus(Duration.ofDays(rules.returnWindowDays()));
        if (now.isAfter(windowEnd)) {
            return Verdict.refused(422, "the return window of " + rules.returnWindowDays() + " days after the delivery closed at " + windowEnd);
        }
        if (!rules.returnReasons().isEmpty() && (reason == null || !rules.returnReasons().contains(reason))) {
            return Verdict.refused(422, (reason == null ? "a return must give a reason" : "reason '" + Quoted.shortened(reason)
                    + "' is not one of the buyer's return reasons") + ": " + String.join(", ", rules.returnReasons()));
        }
        if (alreadyReturned.get()) {
            return Verdict.refused(409, "the lead was already returned");
        }
        if (rules.maxReturnRate() != null) {
            Month figures = month.get();
            // returns + 1 ≤ rate × delivered
            if (figures.returned() + 1 > rules.maxReturnRate() * figures.delivered()) {
                return Verdict.refused(422, "a return would make " + (figures.returned() + 1) + " returns of " + figures.delivered()
                        + " leads delivered this month, over the buyer's max_return_rate of " + rules.maxReturnRate());
            }
        }
        return Verdict.ACCEPTED;
    }
}
