package io.leadrouter.intake;

import io.leadrouter.model.Lead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.config.Migrations;
import io.leadrouter.support.Json;
import io.leadrouter.testing.SharedServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The group-committed lead insert against a real PostgreSQL: a lead the database refuses (here a
 * {@code \u0000}, which intake's checks would have caught before) fails on its own while the leads
 * that shared its batch are stored; a reused lead_id is told apart by payload.
 */
class LeadInsertsTest {

    private static final ExecutorService CALLERS = Executors.newFixedThreadPool(16);
    private static PGSimpleDataSource dataSource;
    private static LeadInserts inserts;
    private static CamelContext camel;

    @BeforeAll
    static void start() {
        String url = SharedServices.get().newDatabase();
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser("postgres");
        Migrations.apply(dataSource, "postgres");
        // one writer, large batches: concurrent callers share a batch
        camel = new DefaultCamelContext();
        camel.getExecutorServiceManager().registerThreadPoolProfile(new ThreadPoolProfileBuilder(LeadInserts.THREADS).poolSize(1).build());
        camel.start();
        inserts = new LeadInserts(camel, new LeadStore(dataSource, Json.MAPPER, "test"), 200);
    }

    @AfterAll
    static void stop() {
        camel.stop();
        CALLERS.shutdownNow();
    }

    @Test
    void aLeadTheDatabaseRefusesFailsAloneAndItsBatchIsStored() throws Exception {
        List<CompletableFuture<LeadStore.Stored>> good = new ArrayList<>();
        List<String> goodIds = new ArrayList<>();
        CompletableFuture<LeadStore.Stored> bad = null;
        for (int i = 0; i < 100; i++) {
            if (i == 50) {
                bad = insertAsync(lead(LeadIds.next(), "A\u0000nn"));
            }
            Lead lead = lead(LeadIds.next(), "Ann " + i);
            goodIds.add(lead.leadId());
            good.add(insertAsync(lead));
        }
        CompletableFuture<LeadStore.Stored> refused = bad;
        CompletionException failure = assertThrows(CompletionException.class, refused::join);
        assertTrue(failure.getCause() instanceof InvalidLeadException, String.valueOf(failure.getCause()));
        InvalidLeadException invalid = (InvalidLeadException) failure.getCause();
        assertEquals(400, invalid.status());
        assertTrue(invalid.getMessage().startsWith("the lead could not be stored: "), invalid.getMessage());
        for (CompletableFuture<LeadStore.Stored> stored : good) {
            assertEquals(LeadStore.Stored.NEW, stored.join());
        }
        assertEquals(100, count("select count(*) from leads where lead_id in ('" + String.join("','", goodIds) + "')"));
    }

    @Test
    void aLeadIdStoredBeforeIsARepeatWithTheSamePayloadAndAConflictWithAnother() throws Exception {
        String leadId = LeadIds.next();
        assertEquals(LeadStore.Stored.NEW, inserts.insert(lead(leadId, "Ann"), "http"));
        assertEquals(LeadStore.Stored.REPEAT, inserts.insert(lead(leadId, "Ann"), "http"));
        assertEquals(LeadStore.Stored.CONFLICT, inserts.insert(lead(leadId, "Bob"), "http"));
        assertEquals(1, count("select count(*) from leads where lead_id = '" + leadId + "' and payload->>'first_name' = 'Ann'"));
    }

    private static CompletableFuture<LeadStore.Stored> insertAsync(Lead lead) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return inserts.insert(lead, "http");
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, CALLERS);
    }

    private static Lead lead(String leadId, String firstName) {
        ObjectNode payload = Json.MAPPER.createObjectNode().put("first_name", firstName);
        return new Lead(leadId, payload, Instant.now());
    }

    private static long count(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(dataSource.getUrl(), "postgres", "");
                Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
