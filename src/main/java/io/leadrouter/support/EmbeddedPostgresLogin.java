package io.leadrouter.support;

import java.nio.file.Path;

/**
 * How the embedded PostgreSQL's superuser logs in: with the password kept in its data folder
 * (mode 0600), read by the router that starts it and by the command-line entry points.
 */
public final class EmbeddedPostgresLogin {

    public static final String SUPERUSER = "postgres";

    private EmbeddedPostgresLogin() {
    }

    public static Path passwordFile(Path dataDirectory) {
        return dataDirectory.resolve("lead-router.password");
    }
}
