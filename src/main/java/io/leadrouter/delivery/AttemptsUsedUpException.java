package io.leadrouter.delivery;

import io.leadrouter.model.DeliveryAttempt;
/**
 * A lead resumed after a crash or a stop whose attempts at a buyer were all made before it: the
 * last one was cut in flight, its answer unknown. The buyer is not called again (it gets at most
 * max_attempts calls for a lead); the lead goes to the dead letters, from where it can be replayed.
 */
public final class AttemptsUsedUpException extends Exception {

    public AttemptsUsedUpException(DeliveryAttempt lastRecorded) {
        super("the " + lastRecorded.totalAttempts() + " attempt(s) of lead " + lastRecorded.lead().leadId() + " at "
                + lastRecorded.buyer().id() + " were used up before the router stopped; the answer to the last one is unknown",
                null, false, false);
    }
}
