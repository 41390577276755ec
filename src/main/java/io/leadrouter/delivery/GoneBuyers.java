package io.leadrouter.delivery;

import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.model.DeliveryAttempt;
import io.leadrouter.model.DeliveryOutcome;
import io.leadrouter.support.DatabaseOutage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buyers that answered HTTP 410 Gone: their endpoint says it will not come back, so they get no further
 * calls and are offered no leads until their buyer file changes. Shared by every instance and kept across
 * restarts in the table buyer_gone, with the content hash of the file that was in force: a buyer is gone
 * while its file in force still has that hash, so a changed file re-enables it on every instance without
 * anyone clearing anything. Each instance reads the table every second (route {@code gone-buyers}) and
 * answers from its copy.
 */
public final class GoneBuyers extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(GoneBuyers.class);
    private static final int GONE = 410;

    /** A buyer gone since {@code since}, as its file with {@code fileHash} describes it. */
    public record Gone(String fileHash, Instant since, String leadId, String details) {
    }

    private final DataSource dataSource;
    private final BuyerCatalog catalog;
    private volatile Map<String, Gone> gone = Map.of();

    public GoneBuyers(DataSource dataSource, BuyerCatalog catalog) {
        this.dataSource = dataSource;
        this.catalog = catalog;
    }

    /** Whether the buyer is gone as its file in force describes it. */
    public boolean isGone(String buyerId) {
        return gone(buyerId).isPresent();
    }

    /** The buyer's 410, while its file in force is the one it answered under. */
    public Optional<Gone> gone(String buyerId) {
        Gone seen = gone.get(buyerId);
        return seen != null && Objects.equals(seen.fileHash(), catalog.contentHash(buyerId).orElse(null))
                ? Optional.of(seen) : Optional.empty();
    }

    /** Step {@code skip-gone-buyer}'s condition: the lead's buyer is gone, the lead goes on to the next one without a call. */
    public boolean leadsBuyerIsGone(Exchange exchange) {
        return isGone(exchange.getProperty(ExchangeKeys.BUYER_ID, String.class));
    }

    /** Step {@code tell-gone-buyers}, after each outcome is recorded: a 410 disables the buyer until its file changes. */
    public void observe(Exchange exchange) throws SQLException {
        DeliveryOutcome outcome = exchange.getProperty(ExchangeKeys.OUTCOME, DeliveryOutcome.class);
        if (outcome.statusCode() == null || outcome.statusCode() != GONE) {
            return;
        }
        DeliveryAttempt attempt = exchange.getProperty(ExchangeKeys.ATTEMPT, DeliveryAttempt.class);
        String buyerId = attempt.buyer().id();
        String hash = catalog.contentHash(buyerId).orElse(null);
        if (hash == null) {
            return; // removed meanwhile: nothing left to disable
        }
        DatabaseOutage.waitOut("noting that buyer " + buyerId + " is gone", exchange.getContext()::isStarted, () -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement note = connection.prepareStatement("""
                            insert into buyer_gone (recipient_id, file_hash, lead_id, details) values (?, ?, ?, ?)
                            on conflict (recipient_id) do update
                                set file_hash = excluded.file_hash, gone_at = now(), lead_id = excluded.lead_id, details = excluded.details
                                where buyer_gone.file_hash <> excluded.file_hash""")) {
                note.setString(1, buyerId);
                note.setString(2, hash);
                note.setString(3, attempt.lead().leadId());
                note.setString(4, outcome.details());
                if (note.executeUpdate() == 1) {
                    LOG.warn("Buyer {} answered 410 Gone (lead {}): no further calls and no leads offered to it until its buyer file {} changes",
                            buyerId, attempt.lead().leadId(), attempt.buyer().sourceFile() == null ? "" : attempt.buyer().sourceFile().getFileName());
                }
            }
            return null;
        });
        refresh();
    }

    /** Reads the table before the first lead: a buyer gone before a restart stays gone. */
    @Override
    protected void doStart() throws SQLException {
        refresh();
    }

    /** Route {@code gone-buyers}, every second: this instance's copy of the table (kept as it was while the database is away). */
    public void sweep() throws SQLException {
        try {
            refresh();
        } catch (SQLException e) {
            if (!DatabaseOutage.isOutage(e)) {
                throw e;
            }
            LOG.debug("Gone buyers not read, the database is unreachable: {}", e.getMessage());
        }
    }

    private void refresh() throws SQLException {
        Map<String, Gone> rows = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select recipient_id, file_hash, gone_at, lead_id, details from buyer_gone");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1), new Gone(rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5)));
            }
        }
        gone = Map.copyOf(rows);
    }
}
