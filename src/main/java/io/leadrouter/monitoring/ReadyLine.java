package io.leadrouter.monitoring;

import io.leadrouter.buyers.BuyerFileWatcher;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The last line of a start: the router is ready, and where everything is. */
public final class ReadyLine implements ExtendedStartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(ReadyLine.class);

    /** Where the parts listen, as an operator would open them. */
    public record Addresses(String api, String management, String database, String kafka) {
    }

    private final Supplier<Addresses> addresses;
    private final BuyerFileWatcher buyerFiles;

    /** @param addresses asked once the router has started (an embedded database's address is known only then) */
    public ReadyLine(Supplier<Addresses> addresses, BuyerFileWatcher buyerFiles) {
        this.addresses = addresses;
        this.buyerFiles = buyerFiles;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the buyer files are read once the context has started: wait for that
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        Addresses addresses = this.addresses.get();
        long refused = buyerFiles.fileStates().values().stream().filter(s -> s.problem() != null).count();
        LOG.info("Lead Router ready in {} s: API {} | health {}/observe/health, metrics {}/observe/metrics, Jolokia {}/observe/jolokia"
                        + " | PostgreSQL {} | Kafka {} | {} buyer file(s) loaded, {} refused",
                String.format(Locale.ROOT, "%.1f", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0),
                addresses.api(), addresses.management(), addresses.management(), addresses.management(),
                addresses.database(), addresses.kafka(), buyerFiles.fileStates().size() - refused, refused);
    }
}
