package io.leadrouter.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The router's database for its command-line entry points, found as the router finds it: a
 * {@code -Dkey=value}, the environment variable of the key, or application.properties; the embedded
 * database (running under a router started with the defaults, as its superuser, whose password its
 * data folder keeps) when no URL is set. An external database's password comes from
 * {@code LEADROUTER_DB_PASSWORD}.
 */
public final class CommandLineDatabase {

    private CommandLineDatabase() {
    }

    public static DataSource of(UnaryOperator<String> settings) {
        PGSimpleDataSource database = new PGSimpleDataSource();
        String url = settings.apply("leadrouter.datasource.url");
        if (url == null || url.isBlank()) {
            database.setUrl("jdbc:postgresql://127.0.0.1:" + orDefault(settings.apply("leadrouter.embedded.postgres.port"), "15432") + "/postgres");
            database.setUser(EmbeddedPostgresLogin.SUPERUSER);
            database.setPassword(embeddedPassword(Path.of(orDefault(settings.apply("leadrouter.embedded.postgres.data-dir"), "data/postgres"))));
        } else {
            database.setUrl(url);
            database.setUser(orDefault(settings.apply("leadrouter.datasource.username"), "postgres"));
            database.setPassword(orDefault(System.getenv("LEADROUTER_DB_PASSWORD"), ""));
        }
        return database;
    }

    private static String embeddedPassword(Path dataDirectory) {
        Path file = EmbeddedPostgresLogin.passwordFile(dataDirectory);
        try {
            return PrivateFiles.read(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the embedded database's password from " + file.toAbsolutePath()
                    + " (start the router once, as this user, to make it)", e);
        }
    }

    /** A setting as the router reads it. */
    public static String setting(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        if (value == null) {
            Properties defaults = new Properties();
            try (InputStream in = CommandLineDatabase.class.getResourceAsStream("/application.properties")) {
                if (in != null) {
                    defaults.load(in);
                }
            } catch (IOException e) {
                // no defaults: the embedded database's
            }
            value = defaults.getProperty(key);
        }
        return value;
    }

    private static String orDefault(String value, String otherwise) {
        return value == null || value.isBlank() ? otherwise : value;
    }
}
