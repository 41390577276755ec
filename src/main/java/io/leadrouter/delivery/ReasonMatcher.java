package io.leadrouter.delivery;

import io.leadrouter.model.FailureReason;
import io.leadrouter.model.Buyer.ReasonRule;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a buyer's rejection text into a failure reason: the buyer's own rules first (case-insensitive
 * "contains", in file order), then the built-in vocabulary below, else {@link FailureReason#REJECTED}.
 * Thread-safe.
 */
public final class ReasonMatcher {

    /*
     * Checked in this order, first match wins. Allow-listing and credentials come before Invalid Data so
     * that "invalid api key" or "missing token" are authentication failures, not data failures; Invalid
     * Data comes before Cap Reached so that "Full name is required" is not a full cap. A bare
     * "ip address" is not an allow-list phrase: leads carry the consumer's IP, so "invalid ip address" is
     * Invalid Data.
     */
    private static final List<BuiltInRule> BUILT_IN = List.of(
            new BuiltInRule("duplicate|\\bdupe\\b|already|too recent", FailureReason.DUPLICATE_LEAD),
            new BuiltInRule("white[ -]?list|allow[ -]?list|not allowed from|unauthori[sz]ed ip|"
                    + "\\bip\\b.{0,40}?\\b(not (allowed|authori[sz]ed|permitted|recogni[sz]ed)|blocked|denied)", FailureReason.IP_NOT_WHITELISTED),
            new BuiltInRule("credential|api[ _-]?key|unauthori[sz]ed|authenticat|permission denied|"
                    + "(invalid|expired|missing|bad|auth|access|bearer)[ _-]?token|token (is )?(invalid|expired|revoked)", FailureReason.INVALID_CREDENTIALS),
            new BuiltInRule("invalid|missing|required|malformed|\\bformat|too (long|short)|exceeds", FailureReason.INVALID_DATA),
            new BuiltInRule("\\bcap(s|ped)?\\b|capacity|limit (reached|exceeded|hit)|(daily|hourly|weekly|monthly) limit|"
                    + "budget (exhausted|reached|exceeded|spent)|out of budget|quota|\\bfull\\b", FailureReason.CAP_REACHED));

    /**
     * @throws IllegalArgumentException if a buyer rule names no known failure reason (buyer files should
     *                                  be checked with {@link FailureReason#ofLabel} when loaded)
     */
    public FailureReason match(List<ReasonRule> buyerRules, String rejectionText) {
        if (rejectionText == null || rejectionText.isBlank()) {
            return FailureReason.REJECTED;
        }
        String text = rejectionText.toLowerCase(Locale.ROOT);
        if (buyerRules != null) {
            for (ReasonRule rule : buyerRules) {
                if (rule.contains() != null && !rule.contains().isEmpty() && text.contains(rule.contains().toLowerCase(Locale.ROOT))) {
                    return FailureReason.ofLabel(rule.reason()).orElseThrow(() -> new IllegalArgumentException(
                            "reason rule for '" + rule.contains() + "' names unknown failure reason '" + rule.reason() + "'"));
                }
            }
        }
        return BUILT_IN.stream()
                .filter(rule -> rule.pattern().matcher(text).find())
                .map(BuiltInRule::reason)
                .findFirst()
                .orElse(FailureReason.REJECTED);
    }

    private record BuiltInRule(Pattern pattern, FailureReason reason) {
        BuiltInRule(String regex, FailureReason reason) {
            this(Pattern.compile(regex), reason);
        }
    }
}
