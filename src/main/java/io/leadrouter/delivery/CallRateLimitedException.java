package io.leadrouter.delivery;

/**
 * Thrown by the rate-limit gate when the buyer has had its {@code rate_limit.per_second} calls in the
 * last second: the lead waits in the buyer route's redelivery until a call is free again, and asks
 * again. It consumes no attempt (nothing is recorded, the buyer is not called).
 */
public final class CallRateLimitedException extends Exception {

    private final long waitMs;

    public CallRateLimitedException(String buyerId, int perSecond, long waitMs) {
        super("buyer " + buyerId + " had its " + perSecond + " call(s) of the last second; the lead waits " + waitMs + " ms",
                null, false, false);
        this.waitMs = waitMs;
    }

    public long waitMs() {
        return waitMs;
    }
}
