package io.leadrouter.analytics;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Where the analytics' hours, days and periods are counted: leadrouter.analytics.time-zone and
 * leadrouter.analytics.business-hours ("09:00-17:00", Monday to Friday). Both are checked at start,
 * so that a query can never meet a zone PostgreSQL reads otherwise than Java does.
 */
public record AnalyticsCalendar(ZoneId zone, LocalTime opens, LocalTime closes) {

    /** The rollups' step: every figure is kept per quarter hour. */
    public static final Duration QUARTER_HOUR = Duration.ofMinutes(15);

    public AnalyticsCalendar {
        if (!opens.isBefore(closes)) {
            throw new IllegalArgumentException("leadrouter.analytics.business-hours: " + opens + " is not before " + closes);
        }
        for (LocalTime time : new LocalTime[] {opens, closes}) {
            if (time.getMinute() % 15 != 0 || time.getSecond() != 0 || time.getNano() != 0) {
                throw new IllegalArgumentException("leadrouter.analytics.business-hours: " + time
                        + " is not on a quarter hour (the analytics count per quarter hour)");
            }
        }
    }

    /**
     * @param zone an IANA time zone name (Europe/Berlin) or UTC: PostgreSQL reads a bare offset such as +02:00 as
     *     POSIX does, the other way round
     * @param businessHours "HH:MM-HH:MM"
     */
    public static AnalyticsCalendar of(String zone, String businessHours) {
        ZoneId id;
        try {
            id = ZoneId.of(zone.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("leadrouter.analytics.time-zone: '" + zone + "' is not a time zone (" + e.getMessage() + ")");
        }
        if (id instanceof ZoneOffset && !id.equals(ZoneOffset.UTC)) {
            throw new IllegalArgumentException("leadrouter.analytics.time-zone: '" + zone
                    + "' is an offset: name a time zone (Europe/Berlin, America/New_York) or UTC");
        }
        String[] hours = businessHours.trim().split("-");
        if (hours.length != 2) {
            throw new IllegalArgumentException("leadrouter.analytics.business-hours: '" + businessHours + "' is not HH:MM-HH:MM");
        }
        try {
            return new AnalyticsCalendar(id.equals(ZoneOffset.UTC) ? ZoneId.of("UTC") : id,
                    LocalTime.parse(hours[0].trim()), LocalTime.parse(hours[1].trim()));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("leadrouter.analytics.business-hours: '" + businessHours + "' is not HH:MM-HH:MM");
        }
    }

    /** The zone's name as PostgreSQL's {@code at time zone} takes it. */
    public String zoneName() {
        return zone.getId();
    }

    /** Whether the instant starts a quarter hour (every zone's offset is a whole number of quarter hours). */
    public static boolean isQuarterHour(Instant instant) {
        return instant.getEpochSecond() % QUARTER_HOUR.toSeconds() == 0 && instant.getNano() == 0;
    }

    /** The start of the quarter hour after the one the instant is in (the instant itself when it starts one). */
    public static Instant quarterHourAtOrAfter(Instant instant) {
        long step = QUARTER_HOUR.toSeconds();
        long seconds = instant.getEpochSecond() + (instant.getNano() > 0 ? 1 : 0);
        return Instant.ofEpochSecond(Math.floorDiv(seconds + step - 1, step) * step);
    }

    /** The local hour of day and weekday of each quarter hour of [from, to) (both on quarter hours). */
    public LocalQuarters localQuarters(Instant from, Instant to) {
        int count = (int) Duration.between(from, to).dividedBy(QUARTER_HOUR);
        int[] hours = new int[count];
        int[] weekdays = new int[count];
        for (int i = 0; i < count; i++) {
            ZonedDateTime local = ZonedDateTime.ofInstant(from.plus(QUARTER_HOUR.multipliedBy(i)), zone);
            hours[i] = local.getHour();
            weekdays[i] = local.getDayOfWeek().getValue();
        }
        return new LocalQuarters(from.getEpochSecond(), hours, weekdays);
    }

    /** How many of the 24 hours of the day (in this zone) the range touches: the spikes' mean is per hour of day. */
    public int hoursOfDayIn(Instant from, Instant to) {
        return localQuarters(from, to).hoursOfDay();
    }

    /** A range's quarter hours in local time: hour of day (0–23) and ISO weekday (1 = Monday), by index from the first. */
    public record LocalQuarters(long fromEpochSecond, int[] hours, int[] weekdays) {

        /** The index of the quarter hour starting at this instant, or -1 when it is not in the range. */
        public int indexOf(long epochSecond) {
            long index = Math.floorDiv(epochSecond - fromEpochSecond, QUARTER_HOUR.toSeconds());
            return index < 0 || index >= hours.length ? -1 : (int) index;
        }

        public int hour(int index) {
            return hours[index];
        }

        public int weekday(int index) {
            return weekdays[index];
        }

        /** How many of the 24 hours of the day the range touches. */
        public int hoursOfDay() {
            return (int) java.util.Arrays.stream(hours).distinct().count();
        }
    }
}
