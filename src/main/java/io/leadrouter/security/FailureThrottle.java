package io.leadrouter.security;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows down guessing: an address that failed to authenticate {@code maxFailures} times within
 * {@code windowMs} is refused (429) until its window is over. Windows are fixed, counted from an
 * address's first failure. The table of addresses is bounded: beyond {@code maxAddresses} the
 * expired windows are swept out, and if none has expired yet the newest address is not tracked.
 */
public final class FailureThrottle {

    private final int maxFailures;
    private final long windowMs;
    private final int maxAddresses;
    private final LongSupplier clockMs;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        final long startMs;
        int failures;

        Window(long startMs) {
            this.startMs = startMs;
        }
    }

    public FailureThrottle(int maxFailures, long windowMs, int maxAddresses, LongSupplier clockMs) {
        this.maxFailures = maxFailures;
        this.windowMs = windowMs;
        this.maxAddresses = maxAddresses;
        this.clockMs = clockMs;
    }

    /** Seconds the address must wait before it may try again; 0 if it may try now. */
    public long secondsToWait(String address) {
        Window window = windows.get(address);
        if (window == null) {
            return 0;
        }
        long now = clockMs.getAsLong();
        synchronized (window) {
            long left = window.startMs + windowMs - now;
            if (left <= 0) {
                windows.remove(address, window);
                return 0;
            }
            return window.failures >= maxFailures ? (left + 999) / 1000 : 0;
        }
    }

    public void failed(String address) {
        long now = clockMs.getAsLong();
        if (windows.size() >= maxAddresses && !windows.containsKey(address)) {
            sweep(now);
            if (windows.size() >= maxAddresses) {
                return;
            }
        }
        Window window = windows.compute(address, (a, w) -> w == null || now - w.startMs >= windowMs ? new Window(now) : w);
        synchronized (window) {
            window.failures++;
        }
    }

    private void sweep(long now) {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            if (now - it.next().startMs >= windowMs) {
                it.remove();
            }
        }
    }
}
