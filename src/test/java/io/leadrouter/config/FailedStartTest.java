package io.leadrouter.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leadrouter.support.Causes;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.SharedServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A router that cannot start says why, and keeps nothing of the database's: its pool is given back. */
class FailedStartTest {

    @Test
    void aRouterThatCannotStartNamesTheKeyAndLeavesNoConnectionOpen() throws Exception {
        String jdbcUrl = SharedServices.get().newDatabase();

        // read once the pool is open and the schema migrated: the start fails after both
        Exception failed = assertThrows(Exception.class, () -> RouterUnderTest.builder().database(jdbcUrl)
                .property("leadrouter.intake.max-depth", "deep").start());

        assertTrue(Causes.chain(failed).stream().anyMatch(t -> String.valueOf(t.getMessage()).contains("leadrouter.intake.max-depth")),
                "the failure names the key: " + failed);
        Awaitility.await("the failed router's connections to close").atMost(Duration.ofSeconds(10))
                .until(() -> otherConnections(jdbcUrl) == 0);
    }

    private static int otherConnections(String jdbcUrl) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
