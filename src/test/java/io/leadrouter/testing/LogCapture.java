package io.leadrouter.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Collects every log line written while it is open, to check what the router logs (and what it
 * must not). The named loggers are turned up to DEBUG meanwhile, so that even an operator
 * debugging the router sees no secret.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Map<Logger, Level> previousLevels = new HashMap<>();

    public LogCapture(String... debugLoggers) {
        for (String name : debugLoggers) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            previousLevels.put(logger, logger.getLevel());
            logger.setLevel(Level.DEBUG);
        }
        appender.start();
        root.addAppender(appender);
    }

    /** Every captured line, its level first, formatted, with the messages of attached exceptions. */
    public List<String> lines() {
        List<ILoggingEvent> events;
        synchronized (appender) { // AppenderBase appends holding the appender's lock: copy under it while threads still log
            events = new java.util.ArrayList<>(appender.list);
        }
        return events.stream().map(LogCapture::render).toList();
    }

    private static String render(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(event.getLevel().toString()).append(' ').append(event.getFormattedMessage());
        for (var thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
            line.append(" | ").append(thrown.getClassName()).append(": ").append(thrown.getMessage());
        }
        return line.toString();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        previousLevels.forEach(Logger::setLevel);
    }
}
