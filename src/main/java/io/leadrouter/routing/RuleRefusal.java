package io.leadrouter.routing;

/**
 * A buyer's rule said no to a lead (or not now): what kind of decision (a routing_decisions.decision),
 * which rule of its file ({@code accept_if[0]}, {@code caps.leads.day}, {@code dedupe}, {@code schedule}),
 * and why, in words that hold none of the lead's own values.
 */
public record RuleRefusal(String decision, String rule, String detail) {

    public static final String FILTERED = "filtered";
    public static final String CAP_REACHED = "cap_reached";
    public static final String DUPLICATE = "duplicate";
    public static final String SUPPRESSED = "suppressed";
    public static final String OUTSIDE_HOURS = "outside_hours";
    public static final String HELD_FOR_HOURS = "held_for_hours";
    public static final String HOLD_EXPIRED = "hold_expired";
    /** Not a rule of the buyer file: the buyer answered 410 Gone, and takes no leads until its file changes. */
    public static final String GONE = "gone";
}
