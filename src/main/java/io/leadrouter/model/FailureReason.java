package io.leadrouter.model;

import java.util.Arrays;
import java.util.Optional;

/** The failure vocabulary of the spec, plus the router's own Router Error: every failed delivery carries exactly one of these. */
public enum FailureReason {
    CONNECTION_REFUSED("Connection Refused", FailureCategory.TECHNICAL),
    TIMEOUT("Timeout", FailureCategory.TECHNICAL),
    SSL_TLS_ERROR("SSL/TLS Error", FailureCategory.TECHNICAL),
    SERVER_ERROR("Server Error", FailureCategory.TECHNICAL),
    DNS_FAILURE("DNS Failure", FailureCategory.TECHNICAL),
    DUPLICATE_LEAD("Duplicate Lead", FailureCategory.BUSINESS),
    INVALID_DATA("Invalid Data", FailureCategory.BUSINESS),
    CAP_REACHED("Cap Reached", FailureCategory.BUSINESS),
    REJECTED("Rejected", FailureCategory.BUSINESS),
    INVALID_CREDENTIALS("Invalid Credentials", FailureCategory.AUTHENTICATION),
    IP_NOT_WHITELISTED("IP Not Whitelisted", FailureCategory.AUTHENTICATION),
    /** A fault of the router itself (a bug, an event it could not record), never the buyer's: dead letters only. */
    ROUTER_ERROR("Router Error", FailureCategory.INTERNAL);

    private final String label;
    private final FailureCategory category;

    FailureReason(String label, FailureCategory category) {
        this.label = label;
        this.category = category;
    }

    /** The name used in events and buyer files ({@code failure.reason}). */
    public String label() {
        return label;
    }

    public FailureCategory category() {
        return category;
    }

    public boolean retryEligible() {
        return category.retryEligible();
    }

    /** Finds a reason by its label, ignoring case ("duplicate lead" finds DUPLICATE_LEAD). */
    public static Optional<FailureReason> ofLabel(String label) {
        return Arrays.stream(values()).filter(r -> r.label.equalsIgnoreCase(label == null ? "" : label.trim())).findFirst();
    }
}
