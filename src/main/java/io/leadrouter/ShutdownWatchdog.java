package io.leadrouter;

import io.leadrouter.config.Settings;
import io.leadrouter.delivery.ExchangeKeys;
import io.leadrouter.model.Lead;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.InflightRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a stop end within its documented bound: {@code camel.main.shutdown-timeout} for the
 * deliveries in flight plus {@code leadrouter.firehose.stop-grace-seconds} for the outbox. A stop
 * still running then (a buyer that never answers, a computation that never returns, a write that
 * waits for a database that is gone) is cut: what was still in flight is logged and the JVM halts
 * with {@link #EXIT_CODE}. Nothing is lost: the unfinished leads are walked again by the next start
 * (or another instance), and a cut attempt counts as made.
 */
final class ShutdownWatchdog {

    /** Exit code of a stop cut at its bound (EX_TEMPFAIL: unfinished work is resumed at the next start). */
    static final int EXIT_CODE = 75;

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownWatchdog.class);
    private static final int MOST_LISTED = 20;

    private final AtomicBoolean armed = new AtomicBoolean();

    /** Starts the countdown (once; a second call changes nothing). */
    void arm(CamelContext context) {
        if (!armed.compareAndSet(false, true)) {
            return;
        }
        Duration bound = boundOf(context);
        // a forced stop of the routes empties the inflight registry while their threads still run: keep what was there
        List<String> inFlightAtTheStop = inFlight(context);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(bound.toMillis()); // the deadline itself, not a wait for some work
            } catch (InterruptedException e) {
                return;
            }
            halt(context, bound, inFlightAtTheStop);
        }, "shutdown-watchdog");
        watchdog.setDaemon(true); // a stop that ends in time ends the JVM with it
        watchdog.start();
        LOG.info("Stopping: the process ends within {} s", bound.toSeconds());
    }

    static Duration boundOf(CamelContext context) {
        long shutdownTimeout = context.getShutdownStrategy().getTimeUnit().toSeconds(context.getShutdownStrategy().getTimeout());
        long stopGrace = new Settings(context).integer("leadrouter.firehose.stop-grace-seconds");
        return Duration.ofSeconds(shutdownTimeout + stopGrace);
    }

    private static void halt(CamelContext context, Duration bound, List<String> inFlightAtTheStop) {
        try {
            LOG.error("The stop did not end within {} s; halting with exit code {}. Unfinished leads are resumed at the next start.",
                    bound.toSeconds(), EXIT_CODE);
            List<String> stillInFlight = inFlight(context);
            if (stillInFlight.isEmpty()) {
                LOG.error("In flight when the stop began: {}", inFlightAtTheStop);
            } else {
                LOG.error("Still in flight: {}", stillInFlight);
            }
            Thread.getAllStackTraces().forEach((thread, stack) -> {
                if (stack.length > 0 && thread.getName().startsWith("Camel") && thread.getState() == Thread.State.RUNNABLE) {
                    LOG.error("Busy: thread {} at {}", thread.getName(), stack[0]);
                }
            });
        } finally {
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }

    private static List<String> inFlight(CamelContext context) {
        return context.getInflightRepository().browse(MOST_LISTED, true).stream().map(ShutdownWatchdog::describe).toList();
    }

    private static String describe(InflightRepository.InflightExchange inflight) {
        Exchange exchange = inflight.getExchange();
        Lead lead = exchange.getProperty(ExchangeKeys.LEAD, Lead.class);
        return "route " + inflight.getAtRouteId() + " for " + inflight.getDuration() + " ms"
                + (lead == null ? "" : ", lead " + lead.leadId())
                + (exchange.getProperty(ExchangeKeys.BUYER_ID) == null ? "" : ", buyer " + exchange.getProperty(ExchangeKeys.BUYER_ID));
    }
}
