package io.leadrouter.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.leadrouter.support.EmbeddedPostgresLogin;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.SharedServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The router's own database role may add to the append-only tables but never change or delete
 * what is there, whatever it sets in its session: neither on the embedded database (its superuser
 * owns the tables, the router works as leadrouter_app) nor on an external one whose owner is named.
 */
class RouterDatabaseRoleTest {

    /** Each append-only table and a column of it. */
    private static final Map<String, String> APPEND_ONLY = Map.of(
            "recipient_events", "seq", "audit_log", "seq", "event_checkpoints", "id");

    /**
     * One router with nothing configured (a PostgreSQL and a Kafka of its own, started in seconds) for
     * both tests of the embedded database: they only read it, and try what is refused.
     */
    private static Path embeddedData;
    private static RouterUnderTest embedded;

    @BeforeAll
    static void startEmbedded() throws Exception {
        embeddedData = Files.createTempDirectory("embedded-role").resolve("postgres");
        embedded = RouterUnderTest.builder().embedded()
                .property("leadrouter.embedded.postgres.data-dir", embeddedData.toString()).start();
    }

    @AfterAll
    static void stopEmbedded() {
        if (embedded != null) {
            embedded.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "external"})
    void theRouterRoleCannotUpdateDeleteTruncateOrUntriggerTheAppendOnlyTables(String database) throws Exception {
        boolean external = database.equals("external");
        RouterUnderTest router = external ? RouterUnderTest.start() : embedded;
        try (Connection connection = routerPool(router).getConnection()) {
            assertEquals(database.equals("embedded") ? "leadrouter_app" : SharedServices.ROUTER_ROLE,
                    single(connection, "select current_user"));
            assertEquals("false", single(connection, "select rolsuper::text from pg_roles where rolname = current_user"));
            assertEquals("1", single(connection, "select count(*) from audit_log where action = 'api_key.created'"),
                    "the router's role reads and adds (its start recorded the first admin key)");
            for (String table : APPEND_ONLY.keySet()) {
                String column = APPEND_ONLY.get(table);
                assertRefused(connection, "update " + table + " set " + column + " = " + column, table);
                assertRefused(connection, "delete from " + table, table);
                assertRefused(connection, "truncate " + table, table);
                assertRefused(connection, "alter table " + table + " disable trigger user", table);
                // what the retention job's trigger exemption listens to: no help to this role
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("set local leadrouter.retention = 'on'");
                }
                assertRefused(connection, "delete from " + table, table);
                connection.rollback();
                connection.setAutoCommit(true);
            }
            assertRefused(connection, "update leads set payload = '{}' where false; drop table leads", "leads");
        } finally {
            if (external) {
                router.close();
            }
        }
    }

    @Test
    void theEmbeddedDatabaseTrustsNobodyAndKeepsItsSuperuserPasswordPrivate() throws Exception {
        String url = routerPool(embedded).getJdbcUrl();
        Path passwordFile = EmbeddedPostgresLogin.passwordFile(embeddedData);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
        SQLException noPassword = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(url, EmbeddedPostgresLogin.SUPERUSER, "").close());
        assertEquals("08004", noPassword.getSQLState(), "the server asks for a password: " + noPassword.getMessage());
        assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "leadrouter_app", "guess").close());
        try (Connection superuser = DriverManager.getConnection(url, EmbeddedPostgresLogin.SUPERUSER, Files.readString(passwordFile).strip())) {
            assertEquals("0", single(superuser, "select count(*) from pg_hba_file_rules where auth_method = 'trust'"));
            assertEquals("postgres", single(superuser, "select tableowner from pg_tables where tablename = 'recipient_events'"));
        }
        assertFalse(Files.readString(embeddedData.resolve("pg_hba.conf")).contains("trust"));
    }

    private static HikariDataSource routerPool(RouterUnderTest router) {
        return router.context().getRegistry().lookupByNameAndType("dataSource", HikariDataSource.class);
    }

    private static void assertRefused(Connection connection, String sql, String table) {
        SQLException refused = assertThrows(SQLException.class, () -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }, sql);
        assertTrue(refused.getSQLState().equals("42501"), sql + ": refused for want of privilege, got " + refused.getSQLState()
                + " " + refused.getMessage());
        assertTrue(refused.getMessage().contains(table), refused.getMessage());
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
