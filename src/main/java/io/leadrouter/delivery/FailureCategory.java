package io.leadrouter.delivery;

/** The three kinds of failure. Only technical failures are worth retrying. */
public enum FailureCategory {
    TECHNICAL, BUSINESS, AUTHENTICATION;

    /** The name used in events ({@code failure.category}). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean retryEligible() {
        return this == TECHNICAL;
    }
}
