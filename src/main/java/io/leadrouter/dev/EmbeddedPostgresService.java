package io.leadrouter.dev;

import io.leadrouter.support.EmbeddedPostgresLogin;
import io.leadrouter.support.PrivateFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.apache.camel.support.service.ServiceSupport;
import org.postgresql.PGConnection;
import org.postgresql.util.PasswordUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (binaries from Maven Central) for the embedded default. Its data
 * directory is kept between runs so that leads accepted before a crash survive a restart.
 *
 * <p>Nobody gets in on trust: every connection proves a password (SCRAM). The superuser's is
 * generated once, set while the server is still down ({@code postgres --single}), and kept in the
 * data folder, readable by this user only; the router itself works as {@value #ROUTER_ROLE}, a role
 * without privileges of its own whose password is new at each start and never written down.
 */
public final class EmbeddedPostgresService extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresService.class);

    /** The role the router's connections use; the migrations grant it what it needs (db/migration/afterMigrate.sql). */
    public static final String ROUTER_ROLE = "leadrouter_app";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Replaces the trust lines initdb (as zonky runs it) writes. */
    private static final String PASSWORDS_ONLY = """
            # Written by Lead Router: every connection proves a password (see EmbeddedPostgresService).
            local   all   all                  scram-sha-256
            host    all   all   127.0.0.1/32   scram-sha-256
            host    all   all   ::1/128        scram-sha-256
            """;

    private final int port;
    private final Path dataDirectory;
    private EmbeddedPostgres postgres;
    private String superuserPassword;
    private String routerPassword;

    /** @param port the port to listen on, or 0 for any free port */
    public EmbeddedPostgresService(int port, Path dataDirectory) {
        this.port = port;
        this.dataDirectory = dataDirectory;
    }

    @Override
    protected void doStart() throws IOException, SQLException {
        Files.createDirectories(dataDirectory);
        Path passwordFile = EmbeddedPostgresLogin.passwordFile(dataDirectory);
        boolean passwordSet = Files.exists(passwordFile);
        superuserPassword = passwordSet ? PrivateFiles.read(passwordFile) : newPassword();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPgBinaryResolver(PostgresBinaries.INSTANCE)
                .setOverrideWorkingDirectory(PostgresBinaries.workingDirectory().toFile())
                // zonky's readiness check logs in as the superuser
                .setConnectConfig("password", superuserPassword)
                // zonky turns these off for speed in tests; a lead acknowledged with 202 must survive a crash
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("password_encryption", "scram-sha-256");
        if (!passwordSet) {
            // a new data folder (initdb trusts everyone), or one from before passwords: set it while the server is down
            builder.setDataDirectoryCustomizer(directory -> requirePassword(directory.toPath(), passwordFile));
        }
        if (port > 0) {
            builder.setPort(port);
        }
        postgres = builder.start();
        routerPassword = newPassword();
        createRouterRole();
        LOG.info("Embedded PostgreSQL listens on {} (data in {}; the superuser's password in {})",
                jdbcUrl(), dataDirectory.toAbsolutePath(), passwordFile.toAbsolutePath());
    }

    private void requirePassword(Path directory, Path passwordFile) {
        try {
            alterSuperuserPasswordOffline(directory);
            Files.writeString(directory.resolve("pg_hba.conf"), PASSWORDS_ONLY, StandardCharsets.US_ASCII);
            // last: a file present means the password and the rules above are in place
            PrivateFiles.write(passwordFile, superuserPassword);
        } catch (IOException e) {
            throw new UncheckedIOException("could not give the embedded PostgreSQL in " + directory + " a password", e);
        }
    }

    /** Single-user mode reads statements from standard input, one per line; only the password's SCRAM verifier is sent. */
    private void alterSuperuserPasswordOffline(Path directory) throws IOException {
        Process single = new ProcessBuilder(PostgresBinaries.INSTANCE.command("postgres", "--single", "-D", directory.toString(),
                EmbeddedPostgresLogin.SUPERUSER)).redirectErrorStream(true).start();
        String verifier = PasswordUtil.encodeScramSha256(superuserPassword.toCharArray());
        try (var statements = single.getOutputStream()) {
            statements.write(("alter role " + EmbeddedPostgresLogin.SUPERUSER + " password '" + verifier + "'\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        String output = new String(single.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!single.waitFor(60, TimeUnit.SECONDS) || single.exitValue() != 0 || output.contains("ERROR:")) {
                single.destroyForcibly();
                throw new IOException("postgres --single did not set the password: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            single.destroyForcibly();
            throw new IOException("interrupted while setting the password", e);
        }
    }

    /** The router's role: made once, given a new password at every start (sent as a SCRAM verifier). */
    private void createRouterRole() throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + ROUTER_ROLE + "') then "
                    + "create role " + ROUTER_ROLE + " login; end if; end $$");
            connection.unwrap(PGConnection.class).alterUserPassword(ROUTER_ROLE, routerPassword.toCharArray(), "scram-sha-256");
        }
    }

    private static String newPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    protected void doStop() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    /** Who runs the migrations: the superuser. */
    public String superuserPassword() {
        return superuserPassword;
    }

    /** The router's own login, valid until this server stops. */
    public String routerPassword() {
        return routerPassword;
    }
}
