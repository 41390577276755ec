package io.leadrouter.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadrouter.model.Lead;
import io.leadrouter.intake.LeadStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the unfinished leads of router instances that are gone (crashed, stopped, or this
 * machine's previous run) and makes this instance their owner, so that they are walked again
 * (finished buyers are skipped, see {@link LeadHistory}). An owner counts as gone when its
 * presence lock has been free at two sweeps in a row, which leaves an instance whose database
 * session was cut a sweep's time to take its lock back. Two instances claiming at once cannot
 * both get a lead: the claim is one atomic UPDATE on the owner column.
 */
public final class OrphanedLeads {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanedLeads.class);

    private final DataSource dataSource;
    private final InstancePresence presence;
    private final ObjectMapper json;
    private final Set<String> lookedGoneLastTime = new HashSet<>();

    public OrphanedLeads(DataSource dataSource, InstancePresence presence, ObjectMapper json) {
        this.dataSource = dataSource;
        this.presence = presence;
        this.json = json;
    }

    /** Claims up to {@code limit} leads of gone instances, oldest first, and answers them. */
    public synchronized List<Lead> claim(int limit) throws SQLException {
        presence.renew();
        List<Lead> claimed = new ArrayList<>();
        Set<String> goneNow = new HashSet<>();
        try (Connection connection = dataSource.getConnection()) {
            for (String owner : otherOwners(connection)) {
                if (!InstancePresence.isGone(connection, owner)) {
                    continue;
                }
                goneNow.add(owner);
                if (lookedGoneLastTime.contains(owner) && claimed.size() < limit) {
                    claimed.addAll(claimFrom(connection, owner, limit - claimed.size()));
                }
            }
        }
        lookedGoneLastTime.clear();
        lookedGoneLastTime.addAll(goneNow);
        if (!claimed.isEmpty()) {
            LOG.info("Took over {} unfinished lead(s) of router instance(s) gone: {}", claimed.size(), goneNow);
        }
        return claimed;
    }

    private List<String> otherOwners(Connection connection) throws SQLException {
        // a loose index scan over the partial index: one probe per owner, however many leads each has
        try (PreparedStatement select = connection.prepareStatement("""
                with recursive owners(owner) as (
                    (select owner from leads where completed_at is null order by owner limit 1)
                    union all
                    select (select l.owner from leads l where l.completed_at is null and l.owner > o.owner order by l.owner limit 1)
                    from owners o where o.owner is not null)
                select owner from owners where owner is not null and owner <> ?""")) {
            select.setString(1, presence.instanceId());
            List<String> owners = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    owners.add(rs.getString(1));
                }
            }
            return owners;
        }
    }

    private List<Lead> claimFrom(Connection connection, String goneOwner, int limit) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                update leads set owner = ?
                where lead_id in (select lead_id from leads where owner = ? and completed_at is null
                                  order by received_at limit ? for update skip locked)
                returning lead_id, payload, received_at""")) {
            update.setString(1, presence.instanceId());
            update.setString(2, goneOwner);
            update.setInt(3, limit);
            List<Lead> leads = new ArrayList<>();
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    leads.add(LeadStore.readLead(rs, json));
                }
            }
            return leads;
        }
    }
}
