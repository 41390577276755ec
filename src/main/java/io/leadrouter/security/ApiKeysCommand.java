package io.leadrouter.security;

import io.leadrouter.support.CommandLineDatabase;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * API keys from the command line, for whoever runs the router (the same database settings as the
 * router: {@code -Dkey=value}, the environment variable of the key, or application.properties; the
 * embedded database when none is set):
 *
 * <pre>
 * java -cp target/lead-router.jar io.leadrouter.security.ApiKeysCommand list
 * java -cp target/lead-router.jar io.leadrouter.security.ApiKeysCommand create read [--name dashboard]
 * java -cp target/lead-router.jar io.leadrouter.security.ApiKeysCommand create buyer --recipient rcp_… [--name …]
 * java -cp target/lead-router.jar io.leadrouter.security.ApiKeysCommand revoke key_…
 * </pre>
 *
 * Every running router hears of the change at once. Exit code 0 done, 1 the database refused, 2 a
 * command not understood.
 */
public final class ApiKeysCommand {

    private static final String USAGE = "usage: ApiKeysCommand list | create <ingest|read|operate|admin|buyer> [--name NAME] "
            + "[--recipient RECIPIENT_ID] | revoke <key id>";

    private final ApiKeyStore store;
    private final AuditLog audit;
    private final PrintStream out;
    private final PrintStream err;

    ApiKeysCommand(ApiKeyStore store, AuditLog audit, PrintStream out, PrintStream err) {
        this.store = store;
        this.audit = audit;
        this.out = out;
        this.err = err;
    }

    public static void main(String... args) {
        System.exit(run(args, CommandLineDatabase::setting, System.out, System.err));
    }

    /** Runs one command against the database the settings name; answers the exit code. */
    static int run(String[] args, UnaryOperator<String> settings, PrintStream out, PrintStream err) {
        DataSource database = CommandLineDatabase.of(settings);
        return new ApiKeysCommand(new ApiKeyStore(database), new AuditLog(database), out, err).run(args);
    }

    int run(String... args) {
        try {
            if (args.length == 1 && args[0].equals("list")) {
                return list();
            }
            if (args.length >= 2 && args[0].equals("create")) {
                return create(Role.of(args[1]), option(args, "--recipient"), option(args, "--name"));
            }
            if (args.length == 2 && args[0].equals("revoke")) {
                return revoke(args[1]);
            }
            err.println(USAGE);
            return 2;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (SQLException e) {
            err.println("the database refused: " + e.getMessage());
            return 1;
        }
    }

    private int list() throws SQLException {
        out.printf(Locale.ROOT, "%-16s %-8s %-24s %-24s %-27s %-27s %s%n", "id", "role", "recipient", "name", "created", "last used", "revoked");
        for (ApiKey key : store.list()) {
            out.printf(Locale.ROOT, "%-16s %-8s %-24s %-24s %-27s %-27s %s%n", key.id(), key.role().id(), dash(key.recipientId()),
                    dash(key.name()), key.createdAt(), dash(key.lastUsedAt()), dash(key.revokedAt()));
        }
        return 0;
    }

    private int create(Role role, String recipientId, String name) throws SQLException {
        ApiKey.Issued issued = store.create(role, recipientId, name);
        audit.record(AuditLog.COMMAND_LINE, "api_key.created", issued.record().id(), ApiKeyAudit.details(issued.record()));
        err.println("made " + issued.record().role().id() + " key " + issued.record().id() + "; the key is shown this once:");
        out.println(issued.key());
        return 0;
    }

    private int revoke(String id) throws SQLException {
        Optional<ApiKey> revoked = store.revoke(id);
        if (revoked.isEmpty()) {
            err.println("no key in force with id " + id);
            return 1;
        }
        audit.record(AuditLog.COMMAND_LINE, "api_key.revoked", id, ApiKeyAudit.details(revoked.get()));
        out.println("revoked " + id);
        return 0;
    }

    private static String option(String[] args, String name) {
        List<String> list = Arrays.asList(args);
        int at = list.indexOf(name);
        if (at < 0) {
            return null;
        }
        if (at + 1 >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[at + 1];
    }

    private static String dash(Object value) {
        return value == null || value.toString().isEmpty() ? "-" : value.toString();
    }
}
