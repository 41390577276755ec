package io.leadrouter.bench;

import java.nio.file.Path;
import java.util.List;

/** One way of starting the router that {@link StartupTime} measures: a jar and the JVM's options. */
record StartupVariant(Path jar, List<String> jvmOptions) {

    String label() {
        return jar.getFileName() + (jvmOptions.isEmpty() ? "" : " " + String.join(" ", jvmOptions));
    }
}
