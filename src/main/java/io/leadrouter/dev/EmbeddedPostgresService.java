package io.leadrouter.dev;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (binaries from Maven Central) for the embedded default. Its data
 * directory is kept between runs so that leads accepted before a crash survive a restart.
 */
public final class EmbeddedPostgresService extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresService.class);

    private final int port;
    private final Path dataDirectory;
    private EmbeddedPostgres postgres;

    /** @param port the port to listen on, or 0 for any free port */
    public EmbeddedPostgresService(int port, Path dataDirectory) {
        this.port = port;
        this.dataDirectory = dataDirectory;
    }

    @Override
    protected void doStart() throws IOException {
        Files.createDirectories(dataDirectory);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                // zonky turns these off for speed in tests; a lead acknowledged with 202 must survive a crash
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on");
        if (port > 0) {
            builder.setPort(port);
        }
        postgres = builder.start();
        LOG.info("Embedded PostgreSQL listens on {} (data in {})", jdbcUrl(), dataDirectory.toAbsolutePath());
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

    public String username() {
        return "postgres";
    }
}
