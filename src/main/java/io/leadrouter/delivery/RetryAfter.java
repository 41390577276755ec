package io.leadrouter.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A buyer's {@code Retry-After} header (RFC 9110, 10.2.3): either a number of seconds or an
 * HTTP-date, read as the time to wait from {@code now}. A date in the past is no wait; anything
 * else (negative, a fraction, garbage) is as if the header were absent. Pure.
 */
public final class RetryAfter {

    /** Longer than any sane answer, short enough that no arithmetic on it overflows. */
    private static final long MAX_SECONDS = 366L * 24 * 3600;

    private RetryAfter() {
    }

    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.strip();
        if (text.chars().allMatch(Character::isDigit)) {
            // more digits than a long holds is still "a very long time"
            long seconds = text.length() > 12 ? MAX_SECONDS : Math.min(Long.parseLong(text), MAX_SECONDS);
            return Optional.of(Duration.ofSeconds(seconds));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
