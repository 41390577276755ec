package io.leadrouter.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnalyticsRangeTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-03T10:07:31Z"), ZoneOffset.UTC);
    private static final Duration LONGEST = Duration.ofDays(400);

    @Test
    void theDefaultIsTheLast24HoursToTheEndOfTheCurrentQuarterHour() {
        AnalyticsRange range = AnalyticsRange.parse(null, "", null, NOW, LONGEST);
        assertEquals(Instant.parse("2026-12-02T10:15:00Z"), range.from());
        assertEquals(Instant.parse("2026-12-03T10:15:00Z"), range.to());
        assertEquals(Optional.empty(), range.recipientId());
    }

    @Test
    void aGivenRangeAndBuyerAreTakenAsTheyAre() {
        AnalyticsRange range = AnalyticsRange.parse("2026-11-01T04:00:00Z", "2026-11-02T05:00:00+00:00", "rcp_A", NOW, LONGEST);
        assertEquals(Instant.parse("2026-11-01T04:00:00Z"), range.from());
        assertEquals(Instant.parse("2026-11-02T05:00:00Z"), range.to());
        assertEquals(Optional.of("rcp_A"), range.recipientId());
        // only from: 24 hours before the default end, no, from to the default end
        assertEquals(Instant.parse("2026-12-03T10:15:00Z"), AnalyticsRange.parse("2026-12-01T00:00:00Z", null, null, NOW, LONGEST).to());
    }

    @Test
    void eachWrongParameterIsNamed() {
        assertRefused("from: 'x' is not an ISO-8601 instant", "x", null);
        assertRefused("to: '+300000-01-01T00:00:00Z' is outside the years 1 to 9999", null, "+300000-01-01T00:00:00Z");
        assertRefused("to: '2026-12-01T10:00:01Z' is not on a quarter hour", null, "2026-12-01T10:00:01Z");
        assertRefused("from: '2026-12-03T10:15:00Z' is not before to '2026-12-03T10:15:00Z'", "2026-12-03T10:15:00Z", null);
        assertRefused("from: the range from 2025-10-29T10:00:00Z to 2026-12-03T10:15:00Z is longer than the 400 days",
                "2025-10-29T10:00:00Z", null);
        String longText = "y".repeat(500);
        assertRefused("from: '" + "y".repeat(60) + "…' is not an ISO-8601 instant", longText, null);
    }

    private static void assertRefused(String message, String from, String to) {
        AnalyticsRange.BadParameter refused = assertThrows(AnalyticsRange.BadParameter.class,
                () -> AnalyticsRange.parse(from, to, null, NOW, LONGEST));
        assertEquals(true, refused.getMessage().startsWith(message), refused.getMessage());
    }
}
