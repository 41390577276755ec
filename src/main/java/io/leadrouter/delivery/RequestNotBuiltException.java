package io.leadrouter.delivery;

/**
 * The buyer's request could not be built for this lead (a missing secret, a mapping the lead does
 * not fit): the attempt fails without calling the buyer, and is not retried.
 */
public final class RequestNotBuiltException extends RuntimeException {

    public RequestNotBuiltException(RuntimeException cause) {
        super(cause.getMessage(), cause, false, false);
    }
}
