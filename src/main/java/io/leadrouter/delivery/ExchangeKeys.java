package io.leadrouter.delivery;

import io.leadrouter.model.DeliveryOutcome;
import io.leadrouter.model.DeliveryAttempt;
/** Names of the exchange properties that carry a lead through routing and delivery. */
public final class ExchangeKeys {

    /** The {@link io.leadrouter.model.Lead} being routed. */
    public static final String LEAD = "leadRouterLead";
    /** Id of the buyer the lead is being delivered to now. */
    public static final String BUYER_ID = "leadRouterBuyerId";
    /** The {@link DeliveryAttempt} in progress. */
    public static final String ATTEMPT = "leadRouterAttempt";
    /** When the first attempt at the current buyer started (kept across redeliveries). */
    public static final String FIRST_ATTEMPT_AT = "leadRouterFirstAttemptAt";
    /** System.nanoTime() just before the buyer was called. */
    public static final String CALL_STARTED_NANOS = "leadRouterCallStartedNanos";
    /** The camel-http endpoint URI of the current buyer. */
    public static final String HTTP_URI = "leadRouterHttpUri";
    /** For a buyer with its own route file: the direct endpoint of that route (see {@link BuyerRouteInput}). */
    public static final String BUYER_ROUTE = "leadRouterBuyerRoute";
    /** The {@link DeliveryOutcome} of the latest attempt. */
    public static final String OUTCOME = "leadRouterOutcome";
    /** What the buyer's 429 or 503 asked to wait before the next attempt (a Duration, from Retry-After), or absent. */
    public static final String RETRY_AFTER = "leadRouterRetryAfter";
    /** The lead fields masked in the latest attempt's outcome (a List of dotted paths; see {@link LeadFieldMask}). */
    public static final String MASKED_FIELDS = "leadRouterMaskedFields";

    /** The circuit's answer for this attempt (true: hold the lead, do not call the buyer). */
    public static final String HELD_BY_CIRCUIT = "leadRouterHeldByCircuit";
    /** On a call the circuit let through while its buyer is on probation: counted until the call ends. */
    public static final String ON_PROBATION = "leadRouterOnProbation";
    /** Set when this buyer's circuit held the lead instead of calling the buyer (see io.leadrouter.circuit). */
    public static final String HELD = "leadRouterHeld";
    /** On a held lead released to its buyer: that buyer's id. Its row of held_leads goes once the buyer is done with it. */
    public static final String RELEASED_TO = "leadRouterReleasedTo";
    /** On the one call that tries whether a buyer whose circuit is open answers again. */
    public static final String PROBE = "leadRouterProbe";
    /** On a probe that failed: it goes back to the held leads, whatever attempts its buyer allows. */
    public static final String PROBE_FAILED = "leadRouterProbeFailed";

    private ExchangeKeys() {
    }

    /** Set on a lead walked again after its router stopped or crashed (its attempts so far are in the table). */
    public static final String RECOVERED = "leadRouterRecovered";
}
