package io.leadrouter.circuit;

import io.leadrouter.model.Buyer;
import java.time.Duration;

/**
 * The circuit breakers' settings (leadrouter.circuit.*).
 *
 * @param failuresToOpen   technical failures in a row that open a buyer's circuit (a buyer file may set its own; 0 never)
 * @param coolDown         the wait before the first probe; it doubles after each failed probe
 * @param maxCoolDown      the longest wait between two probes
 * @param releasePerSweep  held leads released to a buyer per sweep once its circuit is closed
 */
public record CircuitPolicy(int failuresToOpen, Duration coolDown, Duration maxCoolDown, int releasePerSweep) {

    public CircuitPolicy {
        if (failuresToOpen < 0 || coolDown.isNegative() || maxCoolDown.compareTo(coolDown) < 0 || releasePerSweep < 1) {
            throw new IllegalArgumentException("leadrouter.circuit.*: failures-to-open must be 0 or more, max-cool-down-ms at least"
                    + " cool-down-ms, release-per-sweep at least 1; got " + this);
        }
    }

    /** The buyer file's own threshold, or the router's. */
    public int failuresToOpen(Buyer buyer) {
        Integer own = buyer.circuitBreaker() == null ? null : buyer.circuitBreaker().failuresToOpen();
        return own != null ? own : failuresToOpen;
    }

    /** The cool-down after one that ended in a failed probe: doubled, up to the longest. */
    public Duration nextCoolDown(Duration previous) {
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(maxCoolDown) > 0 ? maxCoolDown : doubled;
    }
}
