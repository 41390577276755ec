package io.leadrouter.delivery;

/**
 * Thrown by the circuit's gate when a buyer that has not answered yet (since the router started or
 * its circuit closed), or whose last call failed, already has as many calls under way as could
 * still fail before its circuit opens: the lead waits in the buyer route's redelivery and asks
 * again. It consumes no attempt (nothing is recorded, the buyer is not called).
 */
public final class BuyerOnProbationException extends Exception {

    public BuyerOnProbationException(String buyerId, int callsUnderWay) {
        super("buyer " + buyerId + " is on probation with " + callsUnderWay + " call(s) under way; the lead waits", null, false, false);
    }
}
