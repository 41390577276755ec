package io.leadrouter;

import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the router: {@code mvn exec:java} or {@code java -cp ...}. Configuration is in application.properties. */
public final class LeadRouterApp {

    private static final Logger LOG = LoggerFactory.getLogger(LeadRouterApp.class);

    private LeadRouterApp() {
    }

    public static void main(String... args) {
        // Scans this package: finds LeadRouterConfiguration and the Java DSL RouteBuilders.
        Main main = new Main(LeadRouterApp.class);
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
}
