package io.leadrouter.delivery;

import io.leadrouter.model.FailureReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.model.Buyer.AcceptCondition;
import io.leadrouter.model.Buyer.ReasonRule;
import io.leadrouter.model.Buyer.ResponseRules;
import io.leadrouter.model.Buyer.ResponseType;
import io.leadrouter.model.Money;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ResponseInterpreterTest {

    private final ResponseInterpreter interpreter = new ResponseInterpreter();

    /** The spec's buyer: 200 with result=accepted, lead_id, payout, message. */
    private static final ResponseRules JSON_RULES = new ResponseRules(ResponseType.JSON, List.of(200, 201),
            new AcceptCondition("$.result", "accepted", null), "$.lead_id", "$.payout", "$.message", List.of());

    private static final String ACCEPTED_BODY =
            "{\"result\":\"accepted\",\"lead_id\":\"buyer-12345\",\"payout\":45.00,\"message\":\"Lead accepted successfully\"}";

    private static ResponseRules jsonRules(AcceptCondition acceptWhen) {
        return new ResponseRules(ResponseType.JSON, List.of(200), acceptWhen, "$.lead_id", "$.payout", "$.message", List.of());
    }

    private static ResponseRules statusOnly(ResponseType type, String rejectionReason) {
        return new ResponseRules(type, null, null, null, null, rejectionReason, List.of());
    }

    /** @param buyerWords the buyer's own words for the refusal, which the details must quote; null when it gave none */
    private static void assertFailure(BuyerVerdict verdict, FailureReason reason, String details, String buyerWords) {
        assertFalse(verdict.accepted(), "accepted");
        assertEquals(reason, verdict.failureReason());
        assertEquals(details, verdict.details());
        if (buyerWords != null) {
            assertTrue(verdict.details().contains(buyerWords), verdict.details());
        }
        assertNull(verdict.buyerLeadId());
        assertNull(verdict.payout());
    }

    @Nested
    class AcceptedStatus {

        @Test
        void acceptsAndReadsBuyerLeadIdAndPayout() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 200, ACCEPTED_BODY);

            assertTrue(verdict.accepted());
            assertEquals("buyer-12345", verdict.buyerLeadId());
            assertEquals(new BigDecimal("45.00"), verdict.payout());
            assertEquals(2, verdict.payout().scale());
            assertNull(verdict.failureReason());
            assertNull(verdict.details());
            assertEquals("buyer-12345", assertInstanceOf(JsonNode.class, verdict.bodyForEvent()).get("lead_id").asText());
        }

        @Test
        void eventBodyKeepsTheBuyersDecimals() {
            JsonNode body = (JsonNode) interpreter.interpret(JSON_RULES, 200, ACCEPTED_BODY).bodyForEvent();

            assertEquals(ACCEPTED_BODY, body.toString());
        }

        @Test
        void equalsIgnoresCaseAndSurroundingSpace() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 201, "{\"result\":\" ACCEPTED \",\"lead_id\":77}");

            assertTrue(verdict.accepted());
            assertEquals("77", verdict.buyerLeadId());
        }

        @Test
        void equalsComparesBooleansAsText() {
            BuyerVerdict verdict = interpreter.interpret(jsonRules(new AcceptCondition("$.success", "TRUE", null)), 200, "{\"success\":true}");

            assertTrue(verdict.accepted());
        }

        @Test
        void equalsComparesNumbersByValue() {
            BuyerVerdict verdict = interpreter.interpret(jsonRules(new AcceptCondition("$.code", "1", null)), 200, "{\"code\":1.0}");

            assertTrue(verdict.accepted());
        }

        @Test
        void matchesFindsTheRegex() {
            BuyerVerdict verdict = interpreter.interpret(jsonRules(new AcceptCondition("$.status", null, "^(sold|accepted)$")), 200,
                    "{\"status\":\"sold\"}");

            assertTrue(verdict.accepted());
        }

        @Test
        void conditionWithNeitherEqualsNorMatchesNeedsAValueOtherThanFalse() {
            ResponseRules rules = jsonRules(new AcceptCondition("$.ok", null, null));

            assertTrue(interpreter.interpret(rules, 200, "{\"ok\":\"yes\"}").accepted());
            assertFalse(interpreter.interpret(rules, 200, "{\"ok\":false}").accepted());
        }

        @Test
        void indefinitePathUsesTheFirstMatch() {
            ResponseRules rules = new ResponseRules(ResponseType.JSON, List.of(200), null, "$..id", null, null, List.of());

            assertEquals("first", interpreter.interpret(rules, 200, "{\"a\":{\"id\":\"first\"},\"b\":{\"id\":\"second\"}}").buyerLeadId());
        }

        @Test
        void noConditionAcceptsOnStatusAlone() {
            BuyerVerdict verdict = interpreter.interpret(statusOnly(ResponseType.JSON, null), 204, null);

            assertTrue(verdict.accepted());
            assertNull(verdict.bodyForEvent());
            assertNull(verdict.failureReason());
        }

        @Test
        void noConditionAndGarbageBodyStillAcceptsWithoutIds() {
            ResponseRules rules = new ResponseRules(ResponseType.JSON, List.of(200), null, "$.lead_id", "$.payout", null, List.of());

            BuyerVerdict verdict = interpreter.interpret(rules, 200, "OK");

            assertTrue(verdict.accepted());
            assertNull(verdict.buyerLeadId());
            assertNull(verdict.payout());
            assertEquals("OK", verdict.bodyForEvent());
        }

        @Test
        void unparsablePayoutIsNullNotAFailure() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 200, "{\"result\":\"accepted\",\"payout\":\"$45\"}");

            assertTrue(verdict.accepted());
            assertNull(verdict.payout());
        }

        @Test
        void payoutOfTenThousandDigitsIsIgnoredWithANoteAndTheAnswerStillAccepts() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 200,
                    "{\"result\":\"accepted\",\"lead_id\":\"b-1\",\"payout\":" + "9".repeat(10_000) + "}");

            assertTrue(verdict.accepted());
            assertEquals("b-1", verdict.buyerLeadId());
            assertNull(verdict.payout());
            assertEquals("response.payout: is not " + Money.RULE + "; the buyer file's price is used", verdict.details());
        }

        @Test
        void payoutWithAHugeExponentIsIgnoredWithANote() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 200, "{\"result\":\"accepted\",\"payout\":1e99999999}");

            assertTrue(verdict.accepted());
            assertNull(verdict.payout());
            assertEquals("response.payout: must be at most 1000000; the buyer file's price is used", verdict.details());
        }

        @Test
        void payoutWrittenAsTextIsParsed() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 200, "{\"result\":\"accepted\",\"payout\":\"12.5\"}");

            assertEquals(new BigDecimal("12.5"), verdict.payout());
        }

        @Test
        void missingBuyerLeadIdIsNull() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 200, "{\"result\":\"accepted\"}");

            assertTrue(verdict.accepted());
            assertNull(verdict.buyerLeadId());
        }

        @Test
        void defaultAcceptedStatusIsAny2xx() {
            assertTrue(interpreter.interpret(statusOnly(ResponseType.TEXT, null), 202, "queued").accepted());
        }
    }

    @Nested
    class BodyConditionFails {

        @Test
        void rejectionReasonTextNamesTheFailure() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 200,
                    "{\"result\":\"rejected\",\"message\":\"Duplicate lead - already purchased\"}");

            assertFailure(verdict, FailureReason.DUPLICATE_LEAD, "buyer rejected the lead: Duplicate lead - already purchased",
                    "Duplicate lead - already purchased");
            assertInstanceOf(JsonNode.class, verdict.bodyForEvent());
        }

        @Test
        void buyerReasonRulesApply() {
            ResponseRules rules = new ResponseRules(ResponseType.JSON, List.of(200), new AcceptCondition("$.result", "accepted", null),
                    null, null, "$.code", List.of(new ReasonRule("E-CAP", "Cap Reached")));

            BuyerVerdict verdict = interpreter.interpret(rules, 200, "{\"result\":\"rejected\",\"code\":\"E-CAP-02\"}");

            assertFailure(verdict, FailureReason.CAP_REACHED, "buyer rejected the lead: E-CAP-02", "E-CAP-02");
        }

        @Test
        void withoutReasonTextDetailsShowTheValueFound() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 200, "{\"result\":\"rejected\"}");

            assertFailure(verdict, FailureReason.REJECTED, "buyer rejected the lead: $.result is \"rejected\"", null);
        }

        @Test
        void missingConditionValueIsARejection() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 200, "{\"status\":\"ok\"}");

            assertFailure(verdict, FailureReason.REJECTED, "buyer rejected the lead: $.result not found in the response", null);
        }

        @Test
        void nullConditionValueIsARejection() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 200, "{\"result\":null}");

            assertFailure(verdict, FailureReason.REJECTED, "buyer rejected the lead: $.result not found in the response", null);
        }

        @Test
        void longReasonTextIsCutAndPutOnOneLine() {
            String reason = "Invalid\n  data: " + "x".repeat(300);

            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 200,
                    "{\"result\":\"no\",\"message\":\"" + reason.replace("\n", "\\n") + "\"}");

            String expected = ("Invalid data: " + "x".repeat(300)).substring(0, 200) + "…";
            assertFailure(verdict, FailureReason.INVALID_DATA, "buyer rejected the lead: " + expected, expected);
        }
    }

    @Nested
    class UnreadableBody {

        @Test
        void invalidJsonIsAServerError() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 200, "<html>oops</html>");

            assertFailure(verdict, FailureReason.SERVER_ERROR, "response body is not valid JSON: Unexpected character ('<' (code 60)): "
                    + "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", null);
            assertEquals("<html>oops</html>", verdict.bodyForEvent());
        }

        @Test
        void trailingGarbageAfterJsonIsInvalid() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 200, "{\"result\":\"accepted\"} trailing");

            assertFailure(verdict, FailureReason.SERVER_ERROR, "response body is not valid JSON: Unrecognized token 'trailing': "
                    + "was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", null);
            assertEquals("{\"result\":\"accepted\"} trailing", verdict.bodyForEvent());
        }

        @Test
        void emptyBodyIsAServerErrorWhenAConditionNeedsIt() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 200, "  ");

            assertFailure(verdict, FailureReason.SERVER_ERROR, "response body is empty, expected JSON", null);
            assertNull(verdict.bodyForEvent());
        }

        @Test
        void invalidXmlIsAServerError() {
            ResponseRules rules = new ResponseRules(ResponseType.XML, List.of(200), new AcceptCondition("/response/status", "ok", null),
                    null, null, null, List.of());

            BuyerVerdict verdict = interpreter.interpret(rules, 200, "status=ok");

            assertFailure(verdict, FailureReason.SERVER_ERROR, "response body is not valid XML: Content is not allowed in prolog.", null);
        }
    }

    @Nested
    class RefusedStatus {

        @Test
        void tooManyRequestsWithRetryAfterIsAServerErrorRetriedWhenTheBuyerSaid() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 429, "{\"message\":\"daily limit\"}", java.time.Duration.ofSeconds(30));

            assertFailure(verdict, FailureReason.SERVER_ERROR,
                    "HTTP 429 Too Many Requests from buyer; it asked to retry after 30 s (Retry-After)", null);
            assertTrue(verdict.failureReason().retryEligible());
        }

        @Test
        void tooManyRequestsWithoutRetryAfterIsReadFromTheBuyersText() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 429, "{\"message\":\"daily limit\"}");

            assertFailure(verdict, FailureReason.CAP_REACHED, "HTTP 429: buyer rejected the lead: daily limit", "daily limit");
        }

        @Test
        void serviceUnavailableWithRetryAfterSaysSo() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 503, "", java.time.Duration.ofSeconds(2));

            assertFailure(verdict, FailureReason.SERVER_ERROR, "HTTP 503 from buyer; it asked to retry after 2 s (Retry-After)", null);
        }

        @Test
        void goneIsAFinalRejection() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 410, "{\"message\":\"endpoint retired\"}");

            assertFailure(verdict, FailureReason.REJECTED,
                    "HTTP 410 Gone: the buyer's endpoint is gone; no further calls until its buyer file changes: endpoint retired", "endpoint retired");
            assertFalse(verdict.failureReason().retryEligible());
        }

        @Test
        void serverErrorStatus() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 503, "{\"message\":\"maintenance\"}");

            assertFailure(verdict, FailureReason.SERVER_ERROR, "HTTP 503 from buyer", null);
            assertEquals("maintenance", ((JsonNode) verdict.bodyForEvent()).get("message").asText(), "the answer stays in the event");
        }

        @Test
        void serverErrorStatusEvenWhenListedAsAccepted() {
            ResponseRules rules = new ResponseRules(ResponseType.TEXT, List.of(200, 500), null, null, null, null, List.of());

            assertFailure(interpreter.interpret(rules, 500, null), FailureReason.SERVER_ERROR, "HTTP 500 from buyer", null);
        }

        @Test
        void unauthorized() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 401, "{\"message\":\"Duplicate\"}");

            assertFailure(verdict, FailureReason.INVALID_CREDENTIALS, "HTTP 401: authentication failed", null);
            assertEquals("Duplicate", ((JsonNode) verdict.bodyForEvent()).get("message").asText(), "the answer stays in the event");
        }

        @Test
        void forbiddenWithoutReasonIsIpNotWhitelisted() {
            assertFailure(interpreter.interpret(JSON_RULES, 403, ""), FailureReason.IP_NOT_WHITELISTED, "HTTP 403: access denied", null);
        }

        @Test
        void forbiddenWithUnrecognisedReasonIsIpNotWhitelisted() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 403, "{\"message\":\"Forbidden\"}");

            assertFailure(verdict, FailureReason.IP_NOT_WHITELISTED, "HTTP 403: access denied: Forbidden", "Forbidden");
        }

        @Test
        void forbiddenWithReasonSayingOtherwise() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 403, "{\"message\":\"invalid api key\"}");

            assertFailure(verdict, FailureReason.INVALID_CREDENTIALS, "HTTP 403: access denied: invalid api key", "invalid api key");
        }

        @Test
        void forbiddenReadsTheWholeBodyForText() {
            BuyerVerdict verdict = interpreter.interpret(statusOnly(ResponseType.TEXT, null), 403, "Daily cap reached\n");

            assertFailure(verdict, FailureReason.CAP_REACHED, "HTTP 403: access denied: Daily cap reached", "Daily cap reached");
        }

        @Test
        void requestTimeout() {
            assertFailure(interpreter.interpret(JSON_RULES, 408, null), FailureReason.TIMEOUT,
                    "HTTP 408: buyer timed out waiting for the request", null);
        }

        @Test
        void otherStatusTakesTheReasonFromTheText() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 400, "{\"message\":\"Missing field: phone\"}");

            assertFailure(verdict, FailureReason.INVALID_DATA, "HTTP 400: buyer rejected the lead: Missing field: phone", "Missing field: phone");
        }

        @Test
        void otherStatusWithoutReasonTextIsRejected() {
            BuyerVerdict verdict = interpreter.interpret(statusOnly(ResponseType.JSON, null), 409, "{\"error\":\"duplicate\"}");

            assertFailure(verdict, FailureReason.REJECTED, "HTTP 409: buyer rejected the lead", null);
        }

        @Test
        void otherStatusWithABodyOfAnotherTypeReadsTheWholeBody() {
            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 422, "<html><body>Duplicate submission</body></html>");

            assertFailure(verdict, FailureReason.DUPLICATE_LEAD,
                    "HTTP 422: buyer rejected the lead: <html><body>Duplicate submission</body></html>",
                    "<html><body>Duplicate submission</body></html>");
        }

        @Test
        void successStatusNotListedAsAcceptedIsRejected() {
            assertFailure(interpreter.interpret(JSON_RULES, 202, "{}"), FailureReason.REJECTED, "HTTP 202: buyer rejected the lead", null);
        }

        @Test
        void otherStatusUsesBuyerReasonRules() {
            ResponseRules rules = new ResponseRules(ResponseType.TEXT, List.of(200), null, null, null, "code=(\\w+)",
                    List.of(new ReasonRule("E42", "Duplicate Lead")));

            assertFailure(interpreter.interpret(rules, 400, "status=error code=E42"), FailureReason.DUPLICATE_LEAD,
                    "HTTP 400: buyer rejected the lead: E42", "E42");
        }
    }

    @Nested
    class Xml {

        private final ResponseRules rules = new ResponseRules(ResponseType.XML, List.of(200),
                new AcceptCondition("/response/status", "accepted", null), "/response/id", "/response/price", "//reason", List.of());

        @Test
        void acceptsThroughXPath() {
            String body = "<?xml version=\"1.0\"?><response><status>Accepted</status><id>X-9</id><price>12.50</price></response>";

            BuyerVerdict verdict = interpreter.interpret(rules, 200, body);

            assertTrue(verdict.accepted());
            assertEquals("X-9", verdict.buyerLeadId());
            assertEquals(new BigDecimal("12.50"), verdict.payout());
            assertEquals(body, verdict.bodyForEvent());
        }

        @Test
        void defaultNamespaceNeedsNoPrefixInXPath() {
            String body = "<response xmlns=\"urn:buyer\"><status>accepted</status><id>X-9</id></response>";

            assertEquals("X-9", interpreter.interpret(rules, 200, body).buyerLeadId());
        }

        @Test
        void rejectsWithReason() {
            BuyerVerdict verdict = interpreter.interpret(rules, 200,
                    "<response><status>rejected</status><errors><reason>Invalid zip &amp; state</reason></errors></response>");

            assertFailure(verdict, FailureReason.INVALID_DATA, "buyer rejected the lead: Invalid zip & state", "Invalid zip & state");
        }

        @Test
        void refusesDoctypesSoNoEntityIsEverExpanded() {
            String body = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                    + "<response><status>&x;</status></response>";

            BuyerVerdict verdict = interpreter.interpret(rules, 200, body);

            assertFailure(verdict, FailureReason.SERVER_ERROR, "response body is not valid XML: DOCTYPE is disallowed when the feature "
                    + "\"http://apache.org/xml/features/disallow-doctype-decl\" set to true.", null);
        }
    }

    @Nested
    class Text {

        @Test
        void regexGroupOneIsTheValue() {
            ResponseRules rules = new ResponseRules(ResponseType.TEXT, List.of(200), new AcceptCondition("^(\\w+)", "accepted", null),
                    "id=(\\S+)", "payout=(\\S+)", null, List.of());

            BuyerVerdict verdict = interpreter.interpret(rules, 200, "ACCEPTED id=B-77 payout=30");

            assertTrue(verdict.accepted());
            assertEquals("B-77", verdict.buyerLeadId());
            assertEquals(new BigDecimal("30"), verdict.payout());
            assertEquals("ACCEPTED id=B-77 payout=30", verdict.bodyForEvent());
        }

        @Test
        void regexWithoutGroupUsesTheWholeMatch() {
            ResponseRules rules = new ResponseRules(ResponseType.TEXT, List.of(200), null, "B-\\d+", null, null, List.of());

            assertEquals("B-77", interpreter.interpret(rules, 200, "lead B-77 taken").buyerLeadId());
        }

        @Test
        void rejectionWithoutReasonPathUsesTheWholeBody() {
            ResponseRules rules = new ResponseRules(ResponseType.TEXT, List.of(200), new AcceptCondition(null, null, "^OK"),
                    null, null, null, List.of());

            BuyerVerdict verdict = interpreter.interpret(rules, 200, "REJECTED: lead already sold");

            assertFailure(verdict, FailureReason.DUPLICATE_LEAD, "buyer rejected the lead: REJECTED: lead already sold",
                    "REJECTED: lead already sold");
        }
    }

    @Nested
    class EventBody {

        @Test
        void cappedAt64KibWithTheDroppedBytesCounted() {
            String body = "{\"result\":\"accepted\",\"pad\":\"" + "a".repeat(70_000) + "é\"}";

            BuyerVerdict verdict = interpreter.interpret(JSON_RULES, 200, body);

            assertTrue(verdict.accepted(), "the verdict reads the whole body");
            int droppedChars = body.length() - 65_536;
            assertEquals(body.substring(0, 65_536) + "…[truncated " + (droppedChars + 1) + " bytes]", verdict.bodyForEvent());
        }

        @Test
        void capDoesNotSplitASurrogatePair() {
            String body = "a".repeat(65_535) + "😀" + "b";

            Object forEvent = interpreter.interpret(statusOnly(ResponseType.TEXT, null), 200, body).bodyForEvent();

            assertEquals("a".repeat(65_535) + "…[truncated 5 bytes]", forEvent);
        }

        @Test
        void bodyOfExactlyTheCapIsKept() {
            String body = "x".repeat(65_536);

            assertEquals(body, interpreter.interpret(statusOnly(ResponseType.TEXT, null), 200, body).bodyForEvent());
        }

        @Test
        void xmlBodyIsTheRawText() {
            assertEquals("<ok/>", interpreter.interpret(statusOnly(ResponseType.XML, null), 200, "<ok/>").bodyForEvent());
        }

        @Test
        void jsonBodyOfAnyJsonValueIsParsed() {
            Object forEvent = interpreter.interpret(statusOnly(ResponseType.JSON, null), 200, "[1,2]").bodyForEvent();

            assertEquals("[1,2]", assertInstanceOf(JsonNode.class, forEvent).toString());
        }

        @Test
        void emptyBodyIsNull() {
            assertNull(interpreter.interpret(statusOnly(ResponseType.TEXT, null), 200, "").bodyForEvent());
        }
    }
}
