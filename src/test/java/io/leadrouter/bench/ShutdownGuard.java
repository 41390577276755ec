package io.leadrouter.bench;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Closes what the benchmark started (child JVMs, the broker, the database) if the benchmark JVM
 * ends before it could do so itself (Ctrl-C, an error): newest first.
 */
final class ShutdownGuard {

    private static final Deque<AutoCloseable> OPEN = new ArrayDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ShutdownGuard::closeAll, "bench-shutdown"));
    }

    private ShutdownGuard() {
    }

    static synchronized <T extends AutoCloseable> T register(T resource) {
        OPEN.push(resource);
        return resource;
    }

    static synchronized void release(AutoCloseable resource) {
        OPEN.remove(resource);
    }

    private static void closeAll() {
        AutoCloseable next;
        while ((next = poll()) != null) {
            try {
                next.close();
            } catch (Exception e) {
                System.err.println("[bench] on shutdown: " + e);
            }
        }
    }

    private static synchronized AutoCloseable poll() {
        return OPEN.poll();
    }
}
