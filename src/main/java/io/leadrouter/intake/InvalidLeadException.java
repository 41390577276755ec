package io.leadrouter.intake;

import io.leadrouter.support.RequestRefused;

/** A lead that intake refuses, with the HTTP status that says why (400, 409, 413, 415). */
public final class InvalidLeadException extends Exception implements RequestRefused {

    private final int status;

    public InvalidLeadException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
