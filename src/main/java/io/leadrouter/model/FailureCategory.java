package io.leadrouter.model;

/**
 * The kinds of failure: the spec's three of a buyer (only technical failures are worth retrying),
 * and the router's own faults (internal), which no buyer causes or names.
 */
public enum FailureCategory {
    TECHNICAL, BUSINESS, AUTHENTICATION, INTERNAL;

    /** The name used in events ({@code failure.category}). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean retryEligible() {
        return this == TECHNICAL;
    }

    /** Whether a buyer refused (business or authentication): the reasons a buyer file's rules may name. */
    public boolean isRefusal() {
        return this == BUSINESS || this == AUTHENTICATION;
    }
}
