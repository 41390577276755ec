package io.leadrouter;

import io.leadrouter.config.JarScanning;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Starts the router: {@code mvn exec:java} or {@code java -cp ...}. Configuration is in application.properties. */
public final class LeadRouterApp {

    private static final Logger LOG = LoggerFactory.getLogger(LeadRouterApp.class);

    private LeadRouterApp() {
    }

    public static void main(String... args) {
        // Scans this package: finds LeadRouterConfiguration and the Java DSL RouteBuilders.
        Main main = new Main(LeadRouterApp.class) {
            @Override
            protected CamelContext createCamelContext() {
                CamelContext context = super.createCamelContext();
                JarScanning.install(context);
                return context;
            }
        };
        ShutdownWatchdog watchdog = new ShutdownWatchdog();
        // every way of stopping goes through here: a signal, Camel's shutdown hook, the end of a run
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeStop(BaseMainSupport stopping) {
                watchdog.arm(stopping.getCamelContext());
            }
        });
        stopGracefullyOn(main, "TERM");
        stopGracefullyOn(main, "INT");
        int exitCode;
        try {
            exitCode = main.run(args);
        } catch (Exception e) {
            LOG.error("Lead Router could not start: {}", e.getMessage(), e);
            exitCode = 1;
        }
        // The embedded broker's threads are not daemons: end the JVM explicitly either way.
        System.exit(exitCode);
    }

    /**
     * A stop asked for by a signal is a normal end: the router stops taking leads, lets what is in
     * flight finish (camel.main.shutdown-timeout), writes and publishes its events, and exits 0.
     * Left to the JVM's own handling, the same stop would run in a shutdown hook and end with 143.
     * A stop that has not ended by its bound is cut by the {@link ShutdownWatchdog} (exit code 75).
     */
    private static void stopGracefullyOn(Main main, String signal) {
        try {
            Signal.handle(new Signal(signal), received -> {
                LOG.info("SIG{} received: stopping gracefully", signal);
                main.completed();
            });
        } catch (IllegalArgumentException e) {
            // the JVM keeps this signal (-Xrs, or not on this platform): Camel's shutdown hook still stops gracefully
            LOG.debug("SIG{} left to the JVM: {}", signal, e.getMessage());
        }
    }
}
