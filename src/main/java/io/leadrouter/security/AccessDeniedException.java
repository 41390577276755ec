package io.leadrouter.security;

import io.leadrouter.support.RequestRefused;

/** A request its key does not allow: 401 (no key in force) or 403 (a key whose role may not do this). */
public final class AccessDeniedException extends RuntimeException implements RequestRefused {

    private final int status;

    public AccessDeniedException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
