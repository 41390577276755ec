package io.leadrouter.buyers;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.model.LeadFilter;
import io.leadrouter.model.Money;
import io.leadrouter.model.RoutingRules;
import io.leadrouter.model.RoutingRules.Cap;
import io.leadrouter.model.RoutingRules.Opening;
import io.leadrouter.model.RoutingRules.OutsideHours;
import io.leadrouter.model.RoutingRules.Period;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the sections of a buyer file that say which leads it takes and when: {@code time_zone},
 * {@code accept_if}, {@code caps}, {@code dedupe} and {@code schedule}. The schema has checked their
 * shapes; this checks what it cannot (a known time zone, an RE2 regex, hours that end after they
 * start, budgets within {@link Money}'s bounds) and builds the {@link RoutingRules}.
 */
final class RoutingRulesReader {

    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    private final List<String> problems = new ArrayList<>();

    /** Every problem of the document's routing sections. */
    List<String> problems(JsonNode document) {
        read(document);
        return problems;
    }

    /** The rules of a document with its defaults applied (what is wrong in them is noted, see {@link #problems(JsonNode)}). */
    RoutingRules read(JsonNode document) {
        LeadFilterReader filters = new LeadFilterReader();
        LeadFilter acceptIf = filters.read(document.get("accept_if"));
        problems.addAll(filters.problems());
        return new RoutingRules(acceptIf, timeZone(document.path("time_zone")), caps(document.path("caps")),
                dedupe(document.get("dedupe")), schedule(document.get("schedule")));
    }

    private ZoneId timeZone(JsonNode zone) {
        if (!zone.isTextual()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(zone.asText());
        } catch (DateTimeException e) {
            problems.add("time_zone: " + zone.asText() + " is not a known time zone (use an IANA name such as America/Chicago)");
            return ZoneId.of("UTC");
        }
    }

    private List<Cap> caps(JsonNode caps) {
        List<Cap> result = new ArrayList<>();
        for (Period period : Period.values()) {
            JsonNode leads = caps.path("leads").path(period.label());
            if (leads.isIntegralNumber()) {
                result.add(new Cap("caps.leads." + period.label(), period, leads.intValue(), null));
            }
        }
        for (Period period : Period.values()) {
            JsonNode budget = caps.path("budget").path(period.label());
            if (budget.isNumber() && budget.decimalValue().signum() >= 0) {
                String rule = "caps.budget." + period.label();
                Money.problem(budget.decimalValue()).ifPresent(problem -> problems.add(rule + ": " + problem));
                result.add(new Cap(rule, period, null, budget.decimalValue()));
            }
        }
        return List.copyOf(result);
    }

    private static RoutingRules.Dedupe dedupe(JsonNode dedupe) {
        if (dedupe == null || !dedupe.isObject() || !dedupe.path("window_days").isIntegralNumber()) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        dedupe.path("fields").forEach(f -> fields.add(f.asText()));
        return new RoutingRules.Dedupe(dedupe.get("window_days").intValue(),
                fields.isEmpty() ? RoutingRules.Dedupe.DEFAULT_FIELDS : List.copyOf(fields));
    }

    private RoutingRules.Schedule schedule(JsonNode schedule) {
        if (schedule == null || !schedule.isObject() || !schedule.path("hours").isObject()) {
            return null;
        }
        Map<DayOfWeek, List<Opening>> hours = new EnumMap<>(DayOfWeek.class);
        for (int d = 0; d < DAYS.size(); d++) {
            JsonNode day = schedule.get("hours").get(DAYS.get(d));
            if (day == null) {
                continue;
            }
            List<Opening> openings = new ArrayList<>();
            if (day.isArray()) {
                for (int i = 0; i < day.size(); i++) {
                    opening(day.get(i), "schedule.hours." + DAYS.get(d) + "[" + i + "]", openings);
                }
            } else {
                opening(day, "schedule.hours." + DAYS.get(d), openings);
            }
            hours.put(DayOfWeek.of(d + 1), List.copyOf(openings));
        }
        String outside = schedule.path("outside_hours").asText("skip").toUpperCase(Locale.ROOT);
        return new RoutingRules.Schedule(hours, outside.equals("HOLD") ? OutsideHours.HOLD : OutsideHours.SKIP,
                schedule.path("max_hold_minutes").asInt(720));
    }

    /** "09:00-17:00": the schema has checked the form; here the end must come after the start. */
    private void opening(JsonNode range, String path, List<Opening> openings) {
        String[] ends = range.asText().split("-");
        if (ends.length != 2) {
            return; // the schema has said so
        }
        try {
            LocalTime from = LocalTime.parse(ends[0]);
            LocalTime to = ends[1].equals("24:00") ? LocalTime.MAX : LocalTime.parse(ends[1]);
            if (!to.isAfter(from)) {
                problems.add(path + ": " + range.asText() + " ends before it starts (a range past midnight is two: one on each day)");
                return;
            }
            openings.add(new Opening(from, to));
        } catch (DateTimeException e) {
            // the schema has said so
        }
    }
}
