package io.leadrouter.monitoring;

import io.leadrouter.buyers.BuyerFileWatcher;
import io.leadrouter.buyers.BuyerFileWatcher.FileState;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The buyer files: how many are loaded and how many refused, each refused one with its reason.
 * UP either way: a refused file leaves the other buyers (and the one it replaced) as they were.
 */
public final class BuyerFilesHealthCheck extends AbstractHealthCheck {

    private final BuyerFileWatcher watcher;

    public BuyerFilesHealthCheck(BuyerFileWatcher watcher) {
        super("leadrouter", "buyer-files");
        this.watcher = watcher;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<Path, FileState> files = watcher.fileStates();
        Map<String, Object> refused = new TreeMap<>();
        files.forEach((file, state) -> {
            if (state.problem() != null) {
                refused.put("refused." + file.getFileName(), state.problem());
            }
        });
        builder.up().details(refused);
        builder.detail("loaded", files.size() - refused.size());
        builder.detail("refused", refused.size());
        builder.message((files.size() - refused.size()) + " buyer file(s) loaded, " + refused.size() + " refused");
    }
}
