package io.leadrouter.model;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

/**
 * What a buyer takes, as its file says: which leads ({@code accept_if}), how many and for how much
 * ({@code caps}), never the same consumer twice ({@code dedupe}), and when ({@code schedule}); caps
 * and hours in the buyer's own time zone.
 *
 * @param dedupe   null when the buyer file has no dedupe section
 * @param schedule null when the buyer takes leads at any hour
 */
public record RoutingRules(LeadFilter acceptIf, ZoneId timeZone, List<Cap> caps, Dedupe dedupe, Schedule schedule) {

    /** A buyer file with none of these sections: every lead, at any hour, no limit. */
    public static final RoutingRules NONE = new RoutingRules(LeadFilter.ACCEPT_ALL, ZoneId.of("UTC"), List.of(), null, null);

    /** Whether an offer to this buyer needs a reservation in the database before its call. */
    public boolean reserves() {
        return !caps.isEmpty() || dedupe != null;
    }

    /** A calendar period of the buyer's time zone a cap counts in. */
    public enum Period {
        HOUR, DAY, WEEK, MONTH;

        /** Where the period that holds this moment starts (weeks start on Monday). */
        public ZonedDateTime start(ZonedDateTime at) {
            return switch (this) {
                case HOUR -> at.withMinute(0).withSecond(0).withNano(0);
                case DAY -> at.toLocalDate().atStartOfDay(at.getZone());
                case WEEK -> at.toLocalDate().with(DayOfWeek.MONDAY).atStartOfDay(at.getZone());
                case MONTH -> at.toLocalDate().withDayOfMonth(1).atStartOfDay(at.getZone());
            };
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * At most {@code leads} leads bought per period, or (a budget) at most {@code amount} of their
     * prices; exactly one of the two is set.
     *
     * @param rule the file's name for it: {@code caps.leads.day}, {@code caps.budget.month}
     */
    public record Cap(String rule, Period period, Integer leads, BigDecimal amount) {

        public boolean isBudget() {
            return amount != null;
        }

        public String describe() {
            return isBudget()
                    ? "a budget of " + amount.toPlainString() + " a " + period.label()
                    : leads + " lead" + (leads == 1 ? "" : "s") + " a " + period.label();
        }
    }

    /**
     * A lead whose consumer (any of these fields, normalised and hashed) was sold to the buyer within
     * the window is a duplicate, not offered.
     */
    public record Dedupe(int windowDays, List<String> fields) {

        /** The fields that identify a consumer when the file names none. */
        public static final List<String> DEFAULT_FIELDS = List.of("email", "phone");
    }

    /** What happens to a lead that comes while the buyer is closed. */
    public enum OutsideHours {
        /** Not offered to this buyer. */
        SKIP,
        /** Waits, durably, and is offered when the buyer opens, if it has not waited longer than max_hold_minutes. */
        HOLD
    }

    /** From a time of day up to (not including) another, on one weekday. */
    public record Opening(LocalTime from, LocalTime to) {
        public boolean contains(LocalTime time) {
            return !time.isBefore(from) && time.isBefore(to);
        }
    }

    /** The buyer's hours per weekday (a day it does not list, it is closed). */
    public record Schedule(Map<DayOfWeek, List<Opening>> hours, OutsideHours outsideHours, int maxHoldMinutes) {

        public boolean isOpen(ZonedDateTime at) {
            return hours.getOrDefault(at.getDayOfWeek(), List.of()).stream().anyMatch(o -> o.contains(at.toLocalTime()));
        }
    }
}
