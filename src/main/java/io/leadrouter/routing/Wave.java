package io.leadrouter.routing;

import io.leadrouter.model.Buyer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The buyers a lead is being offered to at once (see {@link WavePlan#nextWave()}). Each buyer
 * works on its own copy of the lead's exchange; the copy that finishes last carries the walk on.
 */
public final class Wave {

    private final List<Buyer> buyers;
    private final AtomicInteger pending;

    public Wave(List<Buyer> buyers) {
        this.buyers = List.copyOf(buyers);
        this.pending = new AtomicInteger(buyers.size());
    }

    public List<Buyer> buyers() {
        return buyers;
    }

    public boolean isEmpty() {
        return buyers.isEmpty();
    }

    /** Notes that one buyer of the wave is done; true for the last one. */
    public boolean finishOne() {
        return pending.decrementAndGet() <= 0;
    }
}
