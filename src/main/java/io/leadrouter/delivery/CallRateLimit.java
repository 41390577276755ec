package io.leadrouter.delivery;

import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.model.Buyer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate of a buyer's {@code rate_limit.per_second}: at most N calls reach the buyer in any one second,
 * counted across every instance through the table buyer_call_slots (the instances share only the
 * database). The buyer has N slots; a call takes the slot used longest ago, provided that was more than
 * a second (plus a margin) ago, in one statement ({@code for update skip locked}: two instances never
 * take one slot). Every call counts, retries included. A call that finds no free slot throws
 * {@link CallRateLimitedException} with the time to wait: until the first slot frees, or, behind other
 * waiting calls of this instance, its turn among them (N a second). The lead waits in its buyer route's
 * redelivery for that long (no thread held, no attempt used) and asks again.
 *
 * <p>A slot is busy while its call is under way (marked as used until the call's longest possible end,
 * should the router die meanwhile) and is stamped with the moment the call ended ({@link #ended}). The
 * request reaches the buyer between the slot's take and that stamp, and the slot's next call leaves a
 * second after the stamp: so two calls of one slot reach the buyer at least a second apart, however
 * long the request took on the way (a loaded machine, a slow network), and no second holds more than N.
 */
public final class CallRateLimit {

    private static final Logger LOG = LoggerFactory.getLogger(CallRateLimit.class);
    /** On an exchange that holds a slot: its number, for the stamp when the request goes out. */
    static final String SLOT = "leadRouterCallSlot";

    private final DataSource dataSource;
    private final BuyerCatalog catalog;
    private final Duration margin;
    /** The limit whose slots this instance made sure of, per buyer. */
    private final Map<String, Integer> slotsMade = new ConcurrentHashMap<>();
    /** Per buyer, the latest time (System.nanoTime) a waiting call of this instance was told to ask again. */
    private final Map<String, AtomicLong> wakeUps = new ConcurrentHashMap<>();

    public CallRateLimit(DataSource dataSource, BuyerCatalog catalog, Duration margin) {
        this.dataSource = dataSource;
        this.catalog = catalog;
        this.margin = margin;
    }

    /**
     * Step {@code ask-rate-limit}: takes one of the buyer's calls of this second, if it has a limit.
     *
     * @throws CallRateLimitedException when its calls of the last second are all taken (the lead waits, no attempt used)
     */
    public void admit(Exchange exchange) throws SQLException, CallRateLimitedException {
        exchange.removeProperty(SLOT);
        String buyerId = exchange.getProperty(ExchangeKeys.BUYER_ID, String.class);
        Buyer buyer = catalog.find(buyerId).orElse(null);
        if (buyer == null || !buyer.rateLimit().limited()) {
            return;
        }
        int perSecond = buyer.rateLimit().perSecond();
        long spacingMs = 1000 + margin.toMillis();
        try (Connection connection = dataSource.getConnection()) {
            makeSlots(connection, buyerId, perSecond);
            try (PreparedStatement take = connection.prepareStatement("""
                    update buyer_call_slots s set used_at = clock_timestamp() + ? * interval '1 millisecond'
                    from (select slot from buyer_call_slots
                          where recipient_id = ? and slot < ? and used_at <= clock_timestamp() - ? * interval '1 millisecond'
                          order by used_at limit 1 for update skip locked) free
                    where s.recipient_id = ? and s.slot = free.slot
                    returning s.slot""")) {
                // busy until the call's longest possible end: stamped with its real end when it ends
                take.setLong(1, longestCallMs(buyer));
                take.setString(2, buyerId);
                take.setInt(3, perSecond);
                take.setLong(4, spacingMs);
                take.setString(5, buyerId);
                try (ResultSet rs = take.executeQuery()) {
                    if (rs.next()) {
                        exchange.setProperty(SLOT, rs.getInt(1));
                        return;
                    }
                }
            }
            // twice a slot's share: another instance's calls take some of the slots, and a slot freed between
            // two wake-ups stays unused until the next
            long waitMs = queued(buyerId, untilFirstFree(connection, buyerId, perSecond, spacingMs), spacingMs / (2L * perSecond));
            // read by Camel's redelivery in place of the buyer's backoff (see RetryDelay)
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, waitMs);
            throw new CallRateLimitedException(buyerId, perSecond, waitMs);
        }
    }

    /** How long a call of the buyer can last at most: its connect and answer timeouts, twice for a buyer of its own route (ping, post). */
    private static long longestCallMs(Buyer buyer) {
        long oneCall = (long) buyer.endpoint().connectTimeoutMs() + buyer.endpoint().timeoutMs();
        return "route".equals(buyer.integration()) ? 2 * oneCall : oneCall;
    }

    /** Step {@code end-rate-limited-call}, however the call ended: its slot counts from now. */
    public void ended(Exchange exchange) {
        Integer slot = exchange.removeProperty(SLOT) instanceof Integer taken ? taken : null;
        if (slot == null) {
            return;
        }
        String buyerId = exchange.getProperty(ExchangeKeys.BUYER_ID, String.class);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement stamp = connection.prepareStatement(
                        "update buyer_call_slots set used_at = clock_timestamp() where recipient_id = ? and slot = ?")) {
            stamp.setString(1, buyerId);
            stamp.setInt(2, slot);
            stamp.executeUpdate();
        } catch (SQLException e) {
            // the slot stays busy until the call's longest possible end, and frees a second after that
            LOG.debug("Rate-limit slot of buyer {} not stamped: {}", buyerId, e.getMessage());
        }
    }

    /**
     * Waiting calls are spread out, {@code apartMs} apart, rather than all told to ask
     * again when the first slot frees: with a backlog of thousands of leads, every one of them would
     * otherwise query the database every second, for N of them to get through. So an instance asks at
     * most twice N times a second for a buyer, however many leads wait.
     */
    private long queued(String buyerId, long untilFirstFreeMs, long apartMs) {
        long now = System.nanoTime();
        long firstFree = now + TimeUnit.MILLISECONDS.toNanos(untilFirstFreeMs);
        long apart = TimeUnit.MILLISECONDS.toNanos(apartMs);
        long wakeUp = wakeUps.computeIfAbsent(buyerId, id -> new AtomicLong(now))
                .accumulateAndGet(firstFree, (last, earliest) -> Math.max(earliest, last + apart));
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(wakeUp - now));
    }

    /** Makes the buyer's N slots (once per limit and instance), and drops those beyond a lowered limit. */
    private void makeSlots(Connection connection, String buyerId, int perSecond) throws SQLException {
        if (Integer.valueOf(perSecond).equals(slotsMade.get(buyerId))) {
            return;
        }
        try (PreparedStatement make = connection.prepareStatement("""
                insert into buyer_call_slots (recipient_id, slot)
                select ?, n from generate_series(0, ? - 1) n
                on conflict do nothing""");
                PreparedStatement drop = connection.prepareStatement("delete from buyer_call_slots where recipient_id = ? and slot >= ?")) {
            make.setString(1, buyerId);
            make.setInt(2, perSecond);
            make.executeUpdate();
            drop.setString(1, buyerId);
            drop.setInt(2, perSecond);
            drop.executeUpdate();
        }
        slotsMade.put(buyerId, perSecond);
    }

    private static long untilFirstFree(Connection connection, String buyerId, int perSecond, long spacingMs) throws SQLException {
        try (PreparedStatement first = connection.prepareStatement("""
                select greatest(1, least(?, ceil(extract(epoch from min(used_at) - clock_timestamp()) * 1000) + ?))::bigint
                from buyer_call_slots where recipient_id = ? and slot < ?""")) {
            first.setLong(1, spacingMs);
            first.setLong(2, spacingMs);
            first.setString(3, buyerId);
            first.setInt(4, perSecond);
            try (ResultSet rs = first.executeQuery()) {
                // a free slot that another call is taking just now reads as free: ask again shortly (at least 1 ms)
                return rs.next() ? rs.getLong(1) : 1;
            }
        }
    }
}
