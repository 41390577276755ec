package io.leadrouter.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.leadrouter.support.EmbeddedPostgresLogin;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The embedded database's logins: a data folder made before passwords gets one, and keeps its data. */
class EmbeddedPostgresServiceTest {

    @Test
    void aDataFolderThatTrustedEveryoneGetsAPasswordAndKeepsItsData() throws Exception {
        Path data = Files.createTempDirectory("trusting-postgres").resolve("postgres");
        try (EmbeddedPostgres before = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
                Connection trusted = before.getPostgresDatabase().getConnection();
                Statement statement = trusted.createStatement()) {
            statement.execute("create table kept (id int); insert into kept values (42)");
        }

        EmbeddedPostgresService postgres = new EmbeddedPostgresService(0, data);
        postgres.start();
        String firstRouterPassword;
        try {
            assertEquals("08004", refusal(postgres.jdbcUrl(), EmbeddedPostgresLogin.SUPERUSER, "").getSQLState(),
                    "no password, no connection");
            assertEquals(postgres.superuserPassword(), Files.readString(EmbeddedPostgresLogin.passwordFile(data)).strip());
            try (Connection superuser = DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedPostgresLogin.SUPERUSER, postgres.superuserPassword());
                    Statement statement = superuser.createStatement();
                    ResultSet rs = statement.executeQuery("select id from kept")) {
                rs.next();
                assertEquals(42, rs.getInt(1));
            }
            firstRouterPassword = postgres.routerPassword();
            DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedPostgresService.ROUTER_ROLE, firstRouterPassword).close();
        } finally {
            postgres.stop();
        }

        String superuserPassword = postgres.superuserPassword();
        postgres = new EmbeddedPostgresService(0, data);
        postgres.start();
        try {
            assertEquals(superuserPassword, postgres.superuserPassword(), "the kept password is used again");
            assertNotEquals(firstRouterPassword, postgres.routerPassword());
            assertEquals("28P01", refusal(postgres.jdbcUrl(), EmbeddedPostgresService.ROUTER_ROLE, firstRouterPassword).getSQLState(),
                    "the router's password of the previous run is gone");
            DriverManager.getConnection(postgres.jdbcUrl(), EmbeddedPostgresService.ROUTER_ROLE, postgres.routerPassword()).close();
        } finally {
            postgres.stop();
        }
    }

    private static SQLException refusal(String url, String user, String password) {
        return assertThrows(SQLException.class, () -> DriverManager.getConnection(url, user, password).close());
    }
}
