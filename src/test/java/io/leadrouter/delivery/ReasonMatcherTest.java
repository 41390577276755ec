package io.leadrouter.delivery;

import io.leadrouter.model.FailureReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.leadrouter.model.Buyer.ReasonRule;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ReasonMatcherTest {

    private final ReasonMatcher matcher = new ReasonMatcher();

    private FailureReason builtIn(String text) {
        return matcher.match(List.of(), text);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\n"})
    void noTextIsRejected(String text) {
        assertEquals(FailureReason.REJECTED, builtIn(text));
    }

    @Test
    void buyerRuleComesBeforeBuiltInRules() {
        List<ReasonRule> rules = List.of(new ReasonRule("already sold", "Cap Reached"));

        assertEquals(FailureReason.CAP_REACHED, matcher.match(rules, "Lead already sold today"));
    }

    @Test
    void buyerRuleMatchesIgnoringCaseOnBothSides() {
        List<ReasonRule> rules = List.of(new ReasonRule("ERR-17", "duplicate lead"));

        assertEquals(FailureReason.DUPLICATE_LEAD, matcher.match(rules, "code err-17: see docs"));
    }

    @Test
    void buyerRulesAreTriedInFileOrder() {
        List<ReasonRule> rules = List.of(new ReasonRule("err", "Invalid Data"), new ReasonRule("err-17", "Duplicate Lead"));

        assertEquals(FailureReason.INVALID_DATA, matcher.match(rules, "ERR-17"));
    }

    @Test
    void unmatchedBuyerRulesFallBackToBuiltInRules() {
        List<ReasonRule> rules = List.of(new ReasonRule("ERR-17", "Duplicate Lead"));

        assertEquals(FailureReason.CAP_REACHED, matcher.match(rules, "Monthly budget exhausted"));
    }

    @Test
    void nullBuyerRulesMeanBuiltInRulesOnly() {
        assertEquals(FailureReason.DUPLICATE_LEAD, matcher.match(null, "Duplicate"));
    }

    @Test
    void buyerRuleNamingAnUnknownReasonIsRefused() {
        List<ReasonRule> rules = List.of(new ReasonRule("ERR-17", "Dupe"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> matcher.match(rules, "ERR-17"));
        assertEquals("reason rule for 'ERR-17' names unknown failure reason 'Dupe'", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Duplicate lead - already purchased", "DUPLICATE", "Lead already exists", "Dupe", "Submitted too recently"})
    void duplicateLead(String text) {
        assertEquals(FailureReason.DUPLICATE_LEAD, builtIn(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Daily cap reached", "caps exceeded", "Buyer capped for today", "Daily limit hit", "Budget exhausted",
            "Quota exceeded", "At capacity", "Category full"})
    void capReached(String text) {
        assertEquals(FailureReason.CAP_REACHED, builtIn(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Invalid zip code", "Missing field: phone", "email is required", "Malformed request",
            "Phone format mismatch", "invalid ip address", "Full name is required", "missing required field: budget", "zip code exceeds length limit", "Field credit_limit is required", "Invalid phone number: token count mismatch"})
    void invalidData(String text) {
        assertEquals(FailureReason.INVALID_DATA, builtIn(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Invalid API key", "apikey missing", "invalid api_key", "Unauthorized", "unauthorised", "Expired token",
            "Bad credentials", "Authentication failed", "Permission denied"})
    void invalidCredentials(String text) {
        assertEquals(FailureReason.INVALID_CREDENTIALS, builtIn(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"IP not whitelisted", "Your IP is not allowed", "IP 203.0.113.9 not permitted", "Requests not allowed from this network",
            "add us to the allow-list", "Unauthorized IP", "invalid request: ip blocked"})
    void ipNotWhitelisted(String text) {
        assertEquals(FailureReason.IP_NOT_WHITELISTED, builtIn(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Not interested", "Capture failed", "More information needed", "Lead declined"})
    void anythingElseIsRejected(String text) {
        assertEquals(FailureReason.REJECTED, builtIn(text));
    }
}
