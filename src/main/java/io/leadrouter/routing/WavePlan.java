package io.leadrouter.routing;

import io.leadrouter.model.Buyer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * The buyers one lead is offered to, in priority order, wave by wave. Rules: once an exclusive
 * buyer accepts, the lead is sold and goes to nobody else; an exclusive buyer is offered the lead
 * only while nobody has bought it; non-exclusive buyers each receive it otherwise.
 *
 * <p>Whether a non-exclusive buyer gets the lead does not depend on what its non-exclusive
 * neighbours answer, so a run of consecutive non-exclusive buyers is one wave, offered the lead
 * all at once; an exclusive buyer is a wave of its own. The next wave is planned only when the
 * whole previous one is done, which gives the same outcome as offering them one by one.
 */
public final class WavePlan {

    private final Deque<Buyer> remaining;
    private boolean soldExclusively;
    private boolean sold;

    /**
     * @param buyers   enabled buyers in priority order
     * @param finished ids of buyers already done with this lead (after a restart)
     * @param sold     whether some buyer already bought it
     * @param soldExclusively whether an exclusive buyer already bought it
     */
    public WavePlan(List<Buyer> buyers, Set<String> finished, boolean sold, boolean soldExclusively) {
        this.remaining = new ArrayDeque<>(buyers.stream().filter(b -> !finished.contains(b.id())).toList());
        this.sold = sold;
        this.soldExclusively = soldExclusively;
    }

    /** The buyers to offer the lead to next, all at once; empty when the walk is over. */
    public synchronized List<Buyer> nextWave() {
        List<Buyer> wave = new ArrayList<>();
        while (!soldExclusively && !remaining.isEmpty()) {
            Buyer buyer = remaining.peek();
            if (buyer.exclusive() && !wave.isEmpty()) {
                break; // it waits for the answers of the wave before it
            }
            remaining.poll();
            if (buyer.exclusive() && sold) {
                continue;
            }
            wave.add(buyer);
            if (buyer.exclusive()) {
                break;
            }
        }
        return wave;
    }

    public synchronized void accepted(Buyer buyer) {
        sold = true;
        soldExclusively |= buyer.exclusive();
    }
}
