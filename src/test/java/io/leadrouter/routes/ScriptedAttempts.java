package io.leadrouter.routes;

import io.leadrouter.delivery.ExchangeKeys;
import io.leadrouter.delivery.RetryableDeliveryException;
import io.leadrouter.model.Buyer;
import io.leadrouter.model.DeliveryAttempt;
import io.leadrouter.model.DeliveryOutcome;
import io.leadrouter.model.FailureReason;
import io.leadrouter.model.Lead;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * One buyer's attempts, answered from a script instead of over HTTP, keeping the contract of the
 * real attempt route: return normally with the outcome set (accepted, or a business failure), throw
 * {@link RetryableDeliveryException} for a technical failure, or throw anything else for a fault of
 * the router. The last answer of the script repeats.
 */
final class ScriptedAttempts implements Processor {

    enum Answer { ACCEPTED, REJECTED, SERVER_ERROR, DATABASE_UNREACHABLE, BAD_STATEMENT, ROUTER_BUG }

    /** One call of the attempt route, and when it came (System.nanoTime()). */
    record Call(Answer answer, long nanoTime) {
    }

    /** Counts the attempts that reached the buyer, as the real route counts recorded attempts. */
    private static final String ATTEMPTS_MADE = "routeTestAttemptsMade";

    private final Buyer buyer;
    private final Queue<Answer> script;
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

    ScriptedAttempts(Buyer buyer, Answer... script) {
        this.buyer = buyer;
        this.script = new ConcurrentLinkedQueue<>(List.of(script));
    }

    List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Answer answer = script.size() > 1 ? script.poll() : script.peek();
        calls.add(new Call(answer, System.nanoTime()));
        switch (answer) {
            // like the real attempt: the database is needed before the buyer is called, so no attempt is used up
            case DATABASE_UNREACHABLE -> throw new SQLException("connection refused", "08001");
            case BAD_STATEMENT -> throw new SQLException("duplicate key value violates unique constraint", "23505");
            case ROUTER_BUG -> throw new IllegalStateException("a bug in the router");
            default -> answer(exchange, answer);
        }
    }

    private void answer(Exchange exchange, Answer answer) throws RetryableDeliveryException {
        int attemptNumber = exchange.getProperty(ATTEMPTS_MADE, 0, Integer.class) + 1;
        exchange.setProperty(ATTEMPTS_MADE, attemptNumber);
        Instant now = Instant.now();
        DeliveryAttempt attempt = new DeliveryAttempt(exchange.getProperty(ExchangeKeys.LEAD, Lead.class), buyer, attemptNumber,
                exchange.getProperty(ExchangeKeys.FIRST_ATTEMPT_AT, now, Instant.class), now);
        exchange.setProperty(ExchangeKeys.FIRST_ATTEMPT_AT, attempt.firstAttemptAt());
        exchange.setProperty(ExchangeKeys.ATTEMPT, attempt);
        DeliveryOutcome outcome = switch (answer) {
            case ACCEPTED -> new DeliveryOutcome(true, 200, null, "buyer-1", new BigDecimal("45.00"), null, null, 3);
            case REJECTED -> new DeliveryOutcome(false, 200, null, null, null, FailureReason.REJECTED, "Rejected: not interested", 3);
            default -> new DeliveryOutcome(false, 503, null, null, null, FailureReason.SERVER_ERROR, "HTTP 503", 3);
        };
        exchange.setProperty(ExchangeKeys.OUTCOME, outcome);
        if (answer == Answer.SERVER_ERROR) {
            throw new RetryableDeliveryException(attempt, outcome);
        }
    }
}
