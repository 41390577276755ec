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
    /** The {@link DeliveryOutcome} of the latest attempt. */
    public static final String OUTCOME = "leadRouterOutcome";
    /** The lead fields masked in the latest attempt's outcome (a List of dotted paths; see {@link LeadFieldMask}). */
    public static final String MASKED_FIELDS = "leadRouterMaskedFields";

    private ExchangeKeys() {
    }

    /** Set on a lead walked again after its router stopped or crashed (its attempts so far are in the table). */
    public static final String RECOVERED = "leadRouterRecovered";
}
