package io.leadrouter.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final FailureThrottle throttle = new FailureThrottle(3, 60_000, 2, now::get);

    @Test
    void anAddressIsHeldBackAfterItsFailuresUntilItsWindowEnds() {
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        assertEquals(0, throttle.secondsToWait("10.0.0.1"));

        now.addAndGet(10_000);
        throttle.failed("10.0.0.1");
        assertEquals(50, throttle.secondsToWait("10.0.0.1"), "the window counts from the first failure");
        assertEquals(0, throttle.secondsToWait("10.0.0.2"), "other addresses are not held back");

        now.addAndGet(49_500);
        assertEquals(1, throttle.secondsToWait("10.0.0.1"), "a part of a second left is a second");
        now.addAndGet(500);
        assertEquals(0, throttle.secondsToWait("10.0.0.1"));
    }

    @Test
    void aNewWindowStartsAfterTheOldOneEnded() {
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        now.addAndGet(60_000);
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        assertEquals(0, throttle.secondsToWait("10.0.0.1"), "two failures in the new window, not four");
        throttle.failed("10.0.0.1");
        assertEquals(60, throttle.secondsToWait("10.0.0.1"));
    }

    @Test
    void theTableOfAddressesStaysBounded() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("10.0.0.1");
            throttle.failed("10.0.0.2");
            throttle.failed("10.0.0.3");
        }
        assertEquals(60, throttle.secondsToWait("10.0.0.1"));
        assertEquals(60, throttle.secondsToWait("10.0.0.2"));
        assertEquals(0, throttle.secondsToWait("10.0.0.3"), "a third address is not tracked while two windows are open");

        now.addAndGet(60_000);
        for (int i = 0; i < 3; i++) {
            throttle.failed("10.0.0.3");
        }
        assertEquals(60, throttle.secondsToWait("10.0.0.3"), "expired windows were swept out to make room");
    }
}
