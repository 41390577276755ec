package io.leadrouter.routing;

import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.model.Buyer;
import io.leadrouter.model.RoutingRules;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Offers the leads held for a buyer's hours to it once it is open, in the order they were held; while
 * it is closed, lets those held longer than its max_hold_minutes go (its rules then say hold_expired).
 */
public final class ScheduledRelease {

    private final BuyerCatalog catalog;
    private final HeldLeadRelease release;
    private final Clock clock;
    private final int perSweep;

    public ScheduledRelease(BuyerCatalog catalog, HeldLeadRelease release, Clock clock, int perSweep) {
        this.catalog = catalog;
        this.release = release;
        this.clock = clock;
        this.perSweep = perSweep;
    }

    /** Answers how many held leads went to their buyers. */
    public int releaseOpenBuyers() throws SQLException {
        int sent = 0;
        for (Buyer buyer : catalog.all()) {
            RoutingRules.Schedule schedule = buyer.rules().schedule();
            if (schedule == null || schedule.outsideHours() != RoutingRules.OutsideHours.HOLD) {
                continue;
            }
            Instant now = clock.instant();
            Instant heldBefore = schedule.isOpen(now.atZone(buyer.rules().timeZone())) ? null
                    : now.minus(Duration.ofMinutes(schedule.maxHoldMinutes()));
            sent += release.release(buyer.id(), perSweep, HeldLeads.HeldFor.SCHEDULE, heldBefore);
        }
        return sent;
    }
}
