package io.leadrouter.buyers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.model.Buyer;
import io.leadrouter.model.LeadFilter;
import io.leadrouter.model.RoutingRules;
import io.leadrouter.support.Json;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The routing sections of a buyer file (accept_if, caps, dedupe, schedule, time_zone): read, and refused with the rule and why. */
class RoutingRulesFileTest {

    private static final String MINIMAL = """
            id: rcp_rulesFile01
            name: Rules Buyer
            endpoint:
              url: https://example.com/leads
            mapping:
              - from: email
                to: email
            price: 10
            """;

    @TempDir
    Path dir;

    private Buyer parse(String rules) throws Exception {
        Path file = dir.resolve("buyer.yaml");
        Files.writeString(file, MINIMAL + rules);
        return new BuyerFileParser().parse(file);
    }

    private String refused(String rules) {
        BuyerFileException refused = assertThrows(BuyerFileException.class, () -> parse(rules));
        assertTrue(refused.getMessage().contains("buyer.yaml"), "names the file: " + refused.getMessage());
        return refused.getMessage();
    }

    private static JsonNode lead(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    @Test
    void aFileWithoutRulesTakesEveryLeadAtAnyHour() throws Exception {
        RoutingRules rules = parse("").rules();
        assertEquals(ZoneId.of("UTC"), rules.timeZone());
        assertTrue(rules.acceptIf().refusal(lead("{}")).isEmpty());
        assertEquals(List.of(), rules.caps());
        assertNull(rules.dedupe());
        assertNull(rules.schedule());
        assertFalse(rules.reserves());
    }

    @Test
    void filtersSayWhichRuleRefusedALead() throws Exception {
        LeadFilter filter = parse("""
                accept_if:
                  - field: state
                    in: [TX, ca]
                  - field: score
                    min: 600
                    max: 850
                  - field: contact.email
                    matches: '@example\\.(com|org)$'
                  - field: phone
                    present: true
                  - any:
                      - field: loan.amount
                        min: 10000
                      - field: vip
                        equals: true
                  - field: source
                    not_in: [spam, test]
                """).rules().acceptIf();
        String good = """
                {"state":"CA","score":"700","contact":{"email":"a@example.org"},"phone":"555","loan":{"amount":25000},"source":"web"}""";
        assertTrue(filter.refusal(lead(good)).isEmpty(), "text ignores case; numeric text reads as a number");
        assertRefusedBy(filter, good.replace("\"CA\"", "\"NY\""), "accept_if[0]");
        assertRefusedBy(filter, good.replace("\"700\"", "599.99"), "accept_if[1]");
        assertRefusedBy(filter, good.replace("\"700\"", "\"seven hundred\""), "accept_if[1]");
        assertRefusedBy(filter, good.replace("example.org", "example.net"), "accept_if[2]");
        assertRefusedBy(filter, good.replace("\"phone\":\"555\"", "\"phone\":\"  \""), "accept_if[3]");
        assertRefusedBy(filter, good.replace("25000", "9999"), "accept_if[4].any");
        assertTrue(filter.refusal(lead(good.replace("25000", "9999").replace("\"source\"", "\"vip\":true,\"source\""))).isEmpty());
        assertRefusedBy(filter, good.replace("\"web\"", "\"SPAM\""), "accept_if[5]");
        assertEquals("state is one of [TX, ca]", filter.refusal(lead(good.replace("\"CA\"", "\"NY\""))).orElseThrow().why(),
                "the reason says what the rule asks, not the lead's value");
    }

    private static void assertRefusedBy(LeadFilter filter, String lead, String rule) throws Exception {
        assertEquals(rule, filter.refusal(lead(lead)).map(LeadFilter.Refusal::rule).orElse("accepted"), lead);
    }

    @Test
    void aRuleThatCannotBeEvaluatedRefusesTheFileWithTheRuleAndWhy() throws Exception {
        assertTrue(refused("accept_if:\n  - field: state\n    like: TX\n").contains("accept_if[0]: unknown operator like"));
        assertTrue(refused("accept_if:\n  - field: email\n    matches: '(a)\\1'\n")
                .contains("accept_if[0].matches: not a regular expression the linear-time engine (RE2) takes"));
        assertTrue(refused("accept_if:\n  - field: email\n    matches: '(?=x)'\n").contains("accept_if[0].matches"));
        assertTrue(refused("accept_if:\n  - any:\n      - field: a\n        equals: 1\n        in: [1]\n")
                .contains("accept_if[0].any[0]: must have exactly one test (found equals, in)"));
        assertTrue(refused("accept_if:\n  - state: TX\n").contains("accept_if[0]: unknown operator state"));
        assertTrue(refused("accept_if:\n  - field: score\n    min: 9\n    max: 1\n").contains("accept_if[0]: min 9 is above max 1"));
        assertTrue(refused("accept_if:\n  - all: []\n").contains("accept_if[0].all: must be a non-empty list"));
        assertTrue(refused("time_zone: Mars/Olympus\n").contains("time_zone: Mars/Olympus is not a known time zone"));
        assertTrue(refused("schedule:\n  hours:\n    mon: \"17:00-09:00\"\n").contains("schedule.hours.mon: 17:00-09:00 ends before it starts"));
        assertTrue(refused("schedule:\n  hours:\n    mon: \"9-17\"\n").contains("schedule.hours.mon"));
        assertTrue(refused("caps:\n  leads:\n    year: 5\n").contains("caps.leads"));
        assertTrue(refused("dedupe:\n  fields: [email]\n").contains("dedupe"));
        assertTrue(refused("accept_if:\n  - field: email\n    matches: '(a{1000}){1000}'\n")
                .contains("accept_if[0].matches: its counted repetitions make 1000000 copies"), "a regex whose every match would be slow");
        assertTrue(refused("accept_if:\n  - field: email\n    matches: '((a{1000}){1000}){1000}'\n")
                .contains("accept_if[0].matches: its counted repetitions make 1000000000 copies"), "refused before compiling runs out of memory");
        assertTrue(refused("accept_if:\n  - field: email\n    matches: '(\\w+\\s+){0,500}(\\d+\\s*){0,500}(x|y|z){999}'\n")
                .contains("too large once compiled"), refused("accept_if:\n  - field: email\n    matches: '(\\w+\\s+){0,500}(\\d+\\s*){0,500}(x|y|z){999}'\n"));
        assertTrue(refused("accept_if:\n  - field: email\n    matches: '" + "a".repeat(1001) + "'\n")
                .contains("accept_if[0].matches: a regular expression is at most 1000 characters"));
        String deep = "accept_if:\n" + nested(9);
        assertTrue(refused(deep).contains("groups nest at most 8 deep"), refused(deep));
        parse("accept_if:\n" + nested(8));
    }

    /** An accept_if whose any groups nest this deep, around one condition. */
    private static String nested(int depth) {
        StringBuilder yaml = new StringBuilder();
        String indent = "  ";
        for (int i = 0; i < depth; i++) {
            yaml.append(indent).append("- any:\n");
            indent += "    ";
        }
        return yaml.append(indent).append("- field: state\n").append(indent).append("  equals: TX\n").toString();
    }

    @Test
    void periodsStartInTheBuyersZoneAcrossDaylightSavingChanges() {
        ZoneId chicago = ZoneId.of("America/Chicago");
        // 2026-03-08: clocks go from 02:00 CST to 03:00 CDT; 04:30 CDT is 09:30 UTC
        ZonedDateTime spring = java.time.Instant.parse("2026-03-08T09:30:00Z").atZone(chicago);
        assertEquals(java.time.Instant.parse("2026-03-08T06:00:00Z"), RoutingRules.Period.DAY.start(spring).toInstant(), "midnight CST");
        assertEquals(java.time.Instant.parse("2026-03-08T09:00:00Z"), RoutingRules.Period.HOUR.start(spring).toInstant());
        // 2026-11-01: 01:00-02:00 comes twice, CDT then CST; each 01:30 starts its own hour
        ZonedDateTime firstOneThirty = java.time.Instant.parse("2026-11-01T06:30:00Z").atZone(chicago);
        ZonedDateTime secondOneThirty = java.time.Instant.parse("2026-11-01T07:30:00Z").atZone(chicago);
        assertEquals(java.time.Instant.parse("2026-11-01T06:00:00Z"), RoutingRules.Period.HOUR.start(firstOneThirty).toInstant());
        assertEquals(java.time.Instant.parse("2026-11-01T07:00:00Z"), RoutingRules.Period.HOUR.start(secondOneThirty).toInstant());
        assertEquals(java.time.Instant.parse("2026-11-01T05:00:00Z"), RoutingRules.Period.DAY.start(secondOneThirty).toInstant(), "midnight CDT");
        assertEquals(java.time.Instant.parse("2026-11-01T05:00:00Z"), RoutingRules.Period.MONTH.start(secondOneThirty).toInstant());
        // a Sunday: its week began on Monday 26 October, at midnight CDT
        assertEquals(java.time.Instant.parse("2026-10-26T05:00:00Z"), RoutingRules.Period.WEEK.start(secondOneThirty).toInstant());
    }

    @Test
    void capsDedupeAndScheduleAreReadInTheBuyersTimeZone() throws Exception {
        RoutingRules rules = parse("""
                time_zone: America/Chicago
                caps:
                  leads:
                    hour: 5
                    month: 500
                  budget:
                    day: 250.50
                dedupe:
                  window_days: 45
                schedule:
                  hours:
                    mon: "09:00-17:00"
                    sat: ["10:00-12:00", "13:00-24:00"]
                  outside_hours: hold
                  max_hold_minutes: 90
                """).rules();
        assertEquals(List.of(
                new RoutingRules.Cap("caps.leads.hour", RoutingRules.Period.HOUR, 5, null),
                new RoutingRules.Cap("caps.leads.month", RoutingRules.Period.MONTH, 500, null),
                new RoutingRules.Cap("caps.budget.day", RoutingRules.Period.DAY, null, new BigDecimal("250.50"))), rules.caps());
        assertEquals(new RoutingRules.Dedupe(45, List.of("email", "phone")), rules.dedupe());
        RoutingRules.Schedule schedule = rules.schedule();
        assertEquals(RoutingRules.OutsideHours.HOLD, schedule.outsideHours());
        assertEquals(90, schedule.maxHoldMinutes());
        ZonedDateTime monday9 = ZonedDateTime.of(2026, 12, 7, 9, 0, 0, 0, rules.timeZone());
        assertEquals(DayOfWeek.MONDAY, monday9.getDayOfWeek());
        assertTrue(schedule.isOpen(monday9));
        assertFalse(schedule.isOpen(monday9.minusNanos(1)));
        assertFalse(schedule.isOpen(monday9.plusHours(8)), "the end is exclusive");
        assertTrue(schedule.isOpen(monday9.plusDays(5).plusHours(14).plusMinutes(59)), "saturday until midnight");
        assertFalse(schedule.isOpen(monday9.plusDays(5).plusHours(3).plusMinutes(30)), "saturday's lunch break");
        assertFalse(schedule.isOpen(monday9.plusDays(1)), "a day not listed is closed");
        // 15:00 UTC on that Monday is 09:00 in Chicago: open; 09:00 UTC is not
        assertTrue(schedule.isOpen(java.time.Instant.parse("2026-12-07T15:00:00Z").atZone(rules.timeZone())));
        assertFalse(schedule.isOpen(java.time.Instant.parse("2026-12-07T09:00:00Z").atZone(rules.timeZone())));
        assertEquals(ZonedDateTime.of(2026, 12, 7, 0, 0, 0, 0, rules.timeZone()),
                RoutingRules.Period.WEEK.start(monday9.plusDays(3).plus(Duration.ofHours(5))), "weeks start on Monday");
    }
}
