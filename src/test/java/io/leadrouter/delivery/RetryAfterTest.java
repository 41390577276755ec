package io.leadrouter.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.leadrouter.model.Buyer.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A buyer's Retry-After as seconds or an HTTP-date, and the wait it makes with the buyer's own backoff and the cap. */
class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final RetryPolicy BACKOFF = new RetryPolicy(5, 1000, 2.0, 60_000);
    private final RetryDelay delay = new RetryDelay(Duration.ofMinutes(10));

    @Test
    void secondsAreAWait() {
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse("120", NOW));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse(" 0 ", NOW));
    }

    @Test
    void anHttpDateIsAWaitUntilThen() {
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryAfter.parse("Thu, 03 Dec 2026 10:01:30 GMT", NOW));
    }

    @Test
    void aDateInThePastIsNoWait() {
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("Thu, 03 Dec 2026 09:59:00 GMT", NOW));
    }

    @Test
    void whatIsNeitherIsAsIfAbsent() {
        assertEquals(Optional.empty(), RetryAfter.parse(null, NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("-5", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("1.5", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("soon", NOW));
        assertEquals(Optional.empty(), RetryAfter.parse("2026-12-03T10:01:30Z", NOW));
    }

    @Test
    void aHugeNumberIsALongWaitNotAnOverflow() {
        assertEquals(Optional.of(Duration.ofDays(366)), RetryAfter.parse("99999999999999999999999", NOW));
    }

    @Test
    void withoutRetryAfterTheBuyersBackoffDecides() {
        assertEquals(1000, delay.delayMs(BACKOFF, 1, null));
        assertEquals(2000, delay.delayMs(BACKOFF, 2, null));
        assertEquals(60_000, delay.delayMs(BACKOFF, 10, null), "up to max_delay_ms");
    }

    @Test
    void theBuyersWaitCountsWhenLongerThanItsBackoff() {
        assertEquals(30_000, delay.delayMs(BACKOFF, 1, Duration.ofSeconds(30)));
    }

    @Test
    void neverSoonerThanTheBuyersOwnBackoff() {
        assertEquals(4000, delay.delayMs(BACKOFF, 3, Duration.ofSeconds(1)));
        assertEquals(1000, delay.delayMs(BACKOFF, 1, Duration.ZERO));
    }

    @Test
    void aLongRetryAfterIsCapped() {
        assertEquals(600_000, delay.delayMs(BACKOFF, 1, Duration.ofDays(1)));
        assertEquals(600_000, delay.delayMs(BACKOFF, 1, Duration.ofDays(366)));
    }
}
