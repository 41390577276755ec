package io.leadrouter.routes;

import io.leadrouter.delivery.ExchangeKeys;
import io.leadrouter.model.DeliveryOutcome;
import io.leadrouter.model.FailureReason;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Every buyer's attempt in a lead's walk, answered at once without HTTP: the buyers told to accept
 * accept, the others refuse (a business failure). Notes each offer and each answer in order.
 */
final class AnsweringBuyers implements Processor {

    private record Hold(String untilOfferedTo, Duration atMost) {
    }

    private final Set<String> accepting = ConcurrentHashMap.newKeySet();
    private final Map<String, Hold> holds = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> offers = new ConcurrentHashMap<>();
    private final List<String> journal = Collections.synchronizedList(new ArrayList<>());

    void accepts(String buyerId) {
        accepting.add(buyerId);
    }

    /**
     * The buyer answers only once the lead is offered to the other buyer, or the time is up: a
     * walk that offered the other buyer before this answer would show it in the journal.
     */
    void holdsItsAnswer(String buyerId, String untilOfferedTo, Duration atMost) {
        holds.put(buyerId, new Hold(untilOfferedTo, atMost));
    }

    /** "offer rcp_…" and "answer rcp_…" entries, in the order they happened. */
    List<String> journal() {
        synchronized (journal) {
            return List.copyOf(journal);
        }
    }

    List<String> offered() {
        return journal().stream().filter(entry -> entry.startsWith("offer ")).map(entry -> entry.substring("offer ".length())).toList();
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException {
        String buyerId = exchange.getProperty(ExchangeKeys.BUYER_ID, String.class);
        journal.add("offer " + buyerId);
        offerOf(buyerId).countDown();
        Hold hold = holds.get(buyerId);
        if (hold != null) {
            offerOf(hold.untilOfferedTo()).await(hold.atMost().toMillis(), TimeUnit.MILLISECONDS);
        }
        exchange.setProperty(ExchangeKeys.OUTCOME, accepting.contains(buyerId)
                ? new DeliveryOutcome(true, 200, null, "buyer-1", new BigDecimal("45.00"), null, null, 1)
                : new DeliveryOutcome(false, 200, null, null, null, FailureReason.REJECTED, "Rejected: not interested", 1));
        journal.add("answer " + buyerId);
    }

    private CountDownLatch offerOf(String buyerId) {
        return offers.computeIfAbsent(buyerId, id -> new CountDownLatch(1));
    }
}
