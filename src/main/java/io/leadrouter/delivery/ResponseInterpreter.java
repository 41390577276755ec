package io.leadrouter.delivery;

import io.leadrouter.model.FailureReason;
import io.leadrouter.model.Buyer.AcceptCondition;
import io.leadrouter.model.Buyer.ResponseRules;
import io.leadrouter.model.Buyer.ResponseType;
import io.leadrouter.model.Money;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a buyer's HTTP answer into a {@link BuyerVerdict}.
 *
 * <ol>
 *   <li>The status decides first: 5xx is Server Error, 429 with a Retry-After too (the buyer is busy and
 *       says when to come back), 401 Invalid Credentials, 403 IP Not Whitelisted (unless the buyer's text
 *       names another reason), 408 Timeout, 410 Rejected (the endpoint is gone: see GoneBuyers); any other status outside
 *       {@code acceptedStatus} (default 2xx) is a refusal whose reason comes from the buyer's text.</li>
 *   <li>An accepted status with no {@code acceptWhen} is an acceptance. Otherwise the value at the
 *       condition's path must equal (ignoring case; numbers by value) and/or match (regex find) the
 *       condition; a condition with neither only needs a value other than "false". A body that does not
 *       parse as the declared type is then a Server Error: the buyer answered garbage.</li>
 *   <li>On acceptance, buyerLeadId and payout are read if the body allows; a missing or unparsable one
 *       is null, never a failure, because the buyer has already taken the lead. A payout outside
 *       {@link Money}'s bounds is ignored too, and the verdict's details say so.</li>
 * </ol>
 * The buyer's text for a refusal is the value at {@code rejectionReason}; failing that, the whole body
 * when the type is TEXT or the body is not the declared type (an HTML error page, say). Thread-safe.
 */
public final class ResponseInterpreter {

    private static final int QUOTE_MAX_CHARS = 200;
    /** Longest text compared as a number in accept_when.equals ("1.0" equals "1"). */
    private static final int MAX_NUMBER_CHARS = 100;

    private final ReasonMatcher reasonMatcher = new ReasonMatcher();

    public BuyerVerdict interpret(ResponseRules rules, int statusCode, String body) {
        return interpret(rules, statusCode, body, null);
    }

    /**
     * @param retryAfter the buyer's {@code Retry-After}, or null when it sent none (or none that parses):
     *        it makes a 429 a technical failure, retried once the buyer said
     */
    public BuyerVerdict interpret(ResponseRules rules, int statusCode, String body, Duration retryAfter) {
        Objects.requireNonNull(rules.type(), "response rules must declare a type");
        ResponseBody response = new ResponseBody(rules.type(), body);
        if (statusCode >= 500) {
            return failure(response, FailureReason.SERVER_ERROR, "HTTP " + statusCode + " from buyer" + askedToWait(retryAfter));
        }
        if (statusCode == 429 && retryAfter != null) {
            // the buyer's server is too busy for us now and says when to come back: a passing state of its
            // system, as a 503 is, not a verdict on the lead (without a time, its text decides, below)
            return failure(response, FailureReason.SERVER_ERROR, "HTTP 429 Too Many Requests from buyer" + askedToWait(retryAfter));
        }
        if (statusCode == 410) {
            // the endpoint says it is gone for good: final for this lead, and the buyer is disabled (GoneBuyers)
            return failure(response, FailureReason.REJECTED, withQuote(
                    "HTTP 410 Gone: the buyer's endpoint is gone; no further calls until its buyer file changes", rejectionText(rules, response)));
        }
        if (statusCode == 401) {
            return failure(response, FailureReason.INVALID_CREDENTIALS, "HTTP 401: authentication failed");
        }
        if (statusCode == 403) {
            String text = rejectionText(rules, response);
            FailureReason said = reasonMatcher.match(rules.reasons(), text);
            FailureReason reason = said == FailureReason.REJECTED ? FailureReason.IP_NOT_WHITELISTED : said;
            return failure(response, reason, withQuote("HTTP 403: access denied", text));
        }
        if (statusCode == 408) {
            return failure(response, FailureReason.TIMEOUT, "HTTP 408: buyer timed out waiting for the request");
        }
        if (!isAcceptedStatus(rules, statusCode)) {
            String text = rejectionText(rules, response);
            return failure(response, reasonMatcher.match(rules.reasons(), text),
                    withQuote("HTTP " + statusCode + ": buyer rejected the lead", text));
        }
        return interpretAcceptedStatus(rules, response);
    }

    private BuyerVerdict interpretAcceptedStatus(ResponseRules rules, ResponseBody response) {
        AcceptCondition condition = rules.acceptWhen();
        if (condition != null) {
            Optional<String> value;
            try {
                value = response.valueAt(condition.path());
            } catch (ResponseBody.UnreadableException e) {
                return failure(response, FailureReason.SERVER_ERROR, e.getMessage());
            }
            if (!holds(condition, value)) {
                String text = rejectionText(rules, response);
                String details = "buyer rejected the lead: "
                        + (text != null ? quote(text) : describe(condition.path(), value));
                return failure(response, reasonMatcher.match(rules.reasons(), text), details);
            }
        }
        String buyerLeadId = lenientValue(response, rules.buyerLeadId()).orElse(null);
        Optional<Money.Parsed> payout = lenientValue(response, rules.payout()).map(Money::parse);
        // an out-of-range payout is ignored (the file's price stands), never computed with; the event says so
        String note = payout.filter(p -> !p.valid()).map(p -> "response.payout: " + p.problem() + "; the buyer file's price is used").orElse(null);
        return new BuyerVerdict(true, response.forEvent(), buyerLeadId, payout.map(Money.Parsed::amount).orElse(null), null, note);
    }

    private static boolean isAcceptedStatus(ResponseRules rules, int statusCode) {
        if (rules.acceptedStatus() == null || rules.acceptedStatus().isEmpty()) {
            return statusCode >= 200 && statusCode < 300;
        }
        return rules.acceptedStatus().contains(statusCode);
    }

    private static boolean holds(AcceptCondition condition, Optional<String> value) {
        if (value.isEmpty()) {
            return false;
        }
        String actual = value.get();
        if (condition.equals() == null && condition.matches() == null) {
            return !actual.equalsIgnoreCase("false");
        }
        boolean equalsHolds = condition.equals() == null || sameValue(actual, condition.equals().strip());
        boolean matchesHolds = condition.matches() == null || Pattern.compile(condition.matches()).matcher(actual).find();
        return equalsHolds && matchesHolds;
    }

    /** Case-insensitive text, or equal numbers: "1.0" is "1". */
    private static boolean sameValue(String actual, String expected) {
        if (actual.equalsIgnoreCase(expected)) {
            return true;
        }
        Optional<BigDecimal> actualNumber = decimal(actual);
        Optional<BigDecimal> expectedNumber = decimal(expected);
        return actualNumber.isPresent() && expectedNumber.isPresent() && actualNumber.get().compareTo(expectedNumber.get()) == 0;
    }

    private static Optional<BigDecimal> decimal(String text) {
        if (text.length() > MAX_NUMBER_CHARS) {
            return Optional.empty(); // compared as text only: parsing thousands of digits is not free
        }
        try {
            return Optional.of(new BigDecimal(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> lenientValue(ResponseBody response, String path) {
        return path == null || path.isBlank() ? Optional.empty() : response.valueAtIfReadable(path);
    }

    private static String rejectionText(ResponseRules rules, ResponseBody response) {
        Optional<String> text = lenientValue(response, rules.rejectionReason());
        if (text.isEmpty() && (rules.type() == ResponseType.TEXT || !response.isReadable())) {
            text = Optional.ofNullable(response.text());
        }
        return text.orElse(null);
    }

    private static String askedToWait(Duration retryAfter) {
        return retryAfter == null ? "" : "; it asked to retry after " + retryAfter.toSeconds() + " s (Retry-After)";
    }

    private static BuyerVerdict failure(ResponseBody response, FailureReason reason, String details) {
        return new BuyerVerdict(false, response.forEvent(), null, null, reason, details);
    }

    private static String withQuote(String sentence, String buyerText) {
        return buyerText == null ? sentence : sentence + ": " + quote(buyerText);
    }

    private static String describe(String path, Optional<String> value) {
        String where = path == null || path.isBlank() ? "the response body" : path;
        return value.map(v -> where + " is \"" + quote(v) + "\"").orElse(where + " not found in the response");
    }

    /** Buyer text on one line and short enough for an event. */
    private static String quote(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() > QUOTE_MAX_CHARS ? oneLine.substring(0, QUOTE_MAX_CHARS) + "…" : oneLine;
    }
}
