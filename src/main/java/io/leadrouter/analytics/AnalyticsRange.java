package io.leadrouter.analytics;

import static io.leadrouter.support.Quoted.shortened;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The range {@code [from, to)} of an analytics request, and the buyer it is narrowed to. Both ends
 * fall on quarter hours, the rollups' step, so every figure is exact; the default is the 24 hours
 * up to the end of the current quarter hour.
 */
public record AnalyticsRange(Instant from, Instant to, Optional<String> recipientId) {

    /** The instants a request may name: PostgreSQL's timestamps end in the year 294276, Java's much later. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

    /** A parameter the request got wrong: answered 400, naming it. */
    public static final class BadParameter extends IllegalArgumentException {
        public BadParameter(String parameter, String problem) {
            super(parameter + ": " + problem);
        }
    }

    /**
     * @param longest the longest range the rollups answer for (leadrouter.analytics.max-range-days)
     * @throws BadParameter naming the parameter at fault
     */
    public static AnalyticsRange parse(String from, String to, String recipientId, Clock clock, Duration longest) {
        Instant end = to == null || to.isBlank() ? AnalyticsCalendar.quarterHourAtOrAfter(clock.instant()) : instant("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(Duration.ofHours(24)) : instant("from", from);
        if (!start.isBefore(end)) {
            throw new BadParameter("from", "'" + start + "' is not before to '" + end + "'");
        }
        if (Duration.between(start, end).compareTo(longest) > 0) {
            throw new BadParameter("from", "the range from " + start + " to " + end + " is longer than the "
                    + longest.toDays() + " days the analytics answer for");
        }
        Optional<String> buyer = recipientId == null || recipientId.isBlank() ? Optional.empty() : Optional.of(recipientId);
        return new AnalyticsRange(start, end, buyer);
    }

    private static Instant instant(String parameter, String text) {
        Instant instant;
        try {
            instant = Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new BadParameter(parameter, "'" + shortened(text) + "' is not an ISO-8601 instant such as 2026-12-01T00:00:00Z");
        }
        if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
            throw new BadParameter(parameter, "'" + instant + "' is outside the years 1 to 9999");
        }
        if (!AnalyticsCalendar.isQuarterHour(instant)) {
            throw new BadParameter(parameter, "'" + instant + "' is not on a quarter hour (:00, :15, :30 or :45, no seconds):"
                    + " the analytics are kept per quarter hour, and answer only what they know exactly");
        }
        return instant;
    }
}
