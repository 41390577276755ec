package io.leadrouter.routing;

import io.leadrouter.buyers.Buyer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The buyers one lead is offered to, in priority order. Rules: once an exclusive buyer accepts,
 * the lead is sold and goes to nobody else; an exclusive buyer is offered the lead only while
 * nobody has bought it; non-exclusive buyers each receive it otherwise.
 */
public final class BuyerQueue {

    private final Deque<Buyer> remaining;
    private boolean soldExclusively;
    private boolean sold;

    /**
     * @param buyers   enabled buyers in priority order
     * @param finished ids of buyers already done with this lead (after a restart)
     * @param sold     whether some buyer already bought it
     * @param soldExclusively whether an exclusive buyer already bought it
     */
    public BuyerQueue(List<Buyer> buyers, Set<String> finished, boolean sold, boolean soldExclusively) {
        this.remaining = new ArrayDeque<>(buyers.stream().filter(b -> !finished.contains(b.id())).toList());
        this.sold = sold;
        this.soldExclusively = soldExclusively;
    }

    /** The next buyer to offer the lead to, if any. */
    public Optional<Buyer> next() {
        while (!soldExclusively && !remaining.isEmpty()) {
            Buyer buyer = remaining.poll();
            if (!(buyer.exclusive() && sold)) {
                return Optional.of(buyer);
            }
        }
        return Optional.empty();
    }

    public void accepted(Buyer buyer) {
        sold = true;
        soldExclusively |= buyer.exclusive();
    }
}
