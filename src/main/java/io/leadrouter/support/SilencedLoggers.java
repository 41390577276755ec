package io.leadrouter.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Loggers of libraries that print what must never be logged: the HTTP client's wire and header logs
 * show each request's {@code Authorization} header and the lead's body. They are off at start,
 * whatever the logging configuration says (a DEBUG root included).
 */
public final class SilencedLoggers {

    static final List<String> NAMES = List.of("org.apache.hc.client5.http.wire", "org.apache.hc.client5.http.headers");

    private SilencedLoggers() {
    }

    public static void silence() {
        for (String name : NAMES) {
            if (LoggerFactory.getLogger(name) instanceof Logger logger) {
                logger.setLevel(Level.OFF);
            }
        }
    }
}
