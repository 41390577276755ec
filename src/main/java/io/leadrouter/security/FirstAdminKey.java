package io.leadrouter.security;

import io.leadrouter.support.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quick start's key: when the router starts on a database with no key in force, it makes an
 * admin key and writes it to a file only its user may read (mode 0600), and logs the file's path,
 * never the key. With that key an operator makes the others ({@code POST /api-keys}).
 */
public final class FirstAdminKey extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(FirstAdminKey.class);

    private final ApiKeyStore store;
    private final Path file;
    private final AuditLog audit;

    public FirstAdminKey(ApiKeyStore store, Path file, AuditLog audit) {
        this.store = store;
        this.file = file;
        this.audit = audit;
    }

    @Override
    protected void doStart() throws SQLException, IOException {
        Optional<ApiKey.Issued> made = store.createFirstAdmin();
        if (made.isEmpty()) {
            return;
        }
        PrivateFiles.write(file, made.get().key());
        audit.record(AuditLog.ROUTER_START, "api_key.created", made.get().record().id(),
                ApiKeyAudit.details(made.get().record()).put("file", file.toAbsolutePath().toString()));
        LOG.info("No API key existed: made admin key {} and wrote it to {} (readable by this user only)",
                made.get().record().id(), file.toAbsolutePath());
    }
}
