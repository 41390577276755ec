package io.leadrouter.analytics;

import io.leadrouter.support.CommandLineDatabase;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * Rebuilds the analytics rollups from the events (an existing table, or after retention), with the
 * router's database settings ({@link CommandLineDatabase}):
 * {@code java -cp target/lead-router.jar io.leadrouter.analytics.BackfillCommand}. New events wait
 * while it runs (one transaction). Exit code 0 done, 1 the database refused.
 */
public final class BackfillCommand {

    private BackfillCommand() {
    }

    public static void main(String... args) {
        System.exit(run(CommandLineDatabase::setting, System.out, System.err));
    }

    static int run(UnaryOperator<String> settings, PrintStream out, PrintStream err) {
        long started = System.nanoTime();
        try {
            long events = backfill(CommandLineDatabase.of(settings));
            out.printf("rollups rebuilt from %d events in %.1f s%n", events, (System.nanoTime() - started) / 1e9);
            return 0;
        } catch (SQLException e) {
            err.println("the database refused: " + e.getMessage());
            return 1;
        }
    }

    /** Runs analytics_backfill() (V9__analytics.sql); returns how many events it read. */
    public static long backfill(DataSource database) throws SQLException {
        try (Connection connection = database.getConnection(); Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("select analytics_backfill()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
