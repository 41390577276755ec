package io.leadrouter.events;

import io.leadrouter.support.CommandLineDatabase;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.function.UnaryOperator;

/**
 * Recomputes the events' seal from the command line, as {@code GET /audit/verify} does, with the
 * router's database settings ({@link CommandLineDatabase}):
 * {@code java -cp target/lead-router.jar io.leadrouter.events.VerifyEventsCommand}.
 * Exit code 0 intact, 3 not intact (the first problem printed), 1 the database refused.
 */
public final class VerifyEventsCommand {

    private VerifyEventsCommand() {
    }

    public static void main(String... args) {
        System.exit(run(CommandLineDatabase::setting, System.out, System.err));
    }

    static int run(UnaryOperator<String> settings, PrintStream out, PrintStream err) {
        try {
            EventSeals.Report report = new EventSeals(CommandLineDatabase.of(settings)).verify();
            if (report.intact()) {
                out.printf("intact: %d checkpoints, %d events sealed (%d of them retired by retention), %d not yet sealed%n",
                        report.checkpoints(), report.eventsSealed(), report.eventsRetired(), report.eventsNotYetSealed());
                return 0;
            }
            out.println("NOT intact: " + report.firstProblem());
            return 3;
        } catch (SQLException e) {
            err.println("the database refused: " + e.getMessage());
            return 1;
        }
    }
}
